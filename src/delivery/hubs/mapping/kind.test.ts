import { describe, expect, it } from "vitest";
import { effectivePriority, kindOf, visualPriority } from "./kind.js";

const visual = { title: "T" };
const fallback = { delaySeconds: 60, visual };

describe("kindOf", () => {
  it("visual only is visual", () => expect(kindOf({ visual })).toBe("visual"));
  it("raw only is raw", () => expect(kindOf({ rawContent: "r" })).toBe("raw"));
  it("an empty raw string still counts as raw", () => expect(kindOf({ rawContent: "" })).toBe("raw"));
  it("raw and visual is both", () => expect(kindOf({ rawContent: "r", visual })).toBe("both"));
  it("raw with a fallback is raw+fallback", () => expect(kindOf({ rawContent: "r", fallback })).toBe("raw+fallback"));
  it("a fallback beside a visual is moot: both", () => expect(kindOf({ rawContent: "r", visual, fallback })).toBe("both"));
});

describe("priority", () => {
  it("visuals count as High unless the caller said Low", () => {
    expect(visualPriority("None")).toBe("High");
    expect(visualPriority("High")).toBe("High");
    expect(visualPriority("Low")).toBe("Low");
  });
  it("raw keeps the caller's priority", () => {
    for (const p of ["None", "High", "Low"] as const) expect(effectivePriority({ rawContent: "r", priority: p })).toBe(p);
  });
  it("both follows the visual rule", () => {
    expect(effectivePriority({ rawContent: "r", visual, priority: "None" })).toBe("High");
    expect(effectivePriority({ rawContent: "r", visual, priority: "Low" })).toBe("Low");
  });
});
