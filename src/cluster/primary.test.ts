import { describe, expect, it } from "vitest";
import { apiProcessExecArgv } from "./primary.js";

describe("apiProcessExecArgv", () => {
  it("gives API processes a small young generation and keeps the primary's other flags", () => {
    expect(apiProcessExecArgv(["--import", "tsx"])).toEqual(["--import", "tsx", "--max-semi-space-size=4"]);
  });

  it("keeps a young-generation size the operator gave node", () => {
    expect(apiProcessExecArgv(["--max-semi-space-size=32"])).toEqual(["--max-semi-space-size=32"]);
  });
});
