import { isBuiltInTag, isValidTag } from "./tags.js";

/**
 * NH tag expressions: tags combined with `&&`, `||`, `!` and parentheses; `!` binds tightest,
 * then `&&`, then `||`. At most 20 tags when the expression only uses `||`, otherwise 6
 * (learn.microsoft.com/azure/notification-hubs/notification-hubs-tags-segment-push-message).
 */
export type TagExpression =
  | { kind: "tag"; tag: string }
  | { kind: "not"; operand: TagExpression }
  | { kind: "and" | "or"; left: TagExpression; right: TagExpression };

export const MAX_TAGS_OR_ONLY = 20;
export const MAX_TAGS_MIXED = 6;

export type ParsedTagExpression = { ok: true; expression: TagExpression } | { ok: false; error: string };

type Token = { type: "tag"; text: string } | { type: "and" | "or" | "not" | "open" | "close" };

const DELIMITERS = new Set([" ", "\t", "&", "|", "!", "(", ")"]);

function readTag(text: string, start: number): number {
  let i = start;
  while (i < text.length && !DELIMITERS.has(text[i])) {
    if (text[i] === "{") {
      // Built-in tag values are braced and may hold operator characters: `$InstallationId:{a|b}`.
      const close = text.indexOf("}", i);
      i = close === -1 ? text.length : close + 1;
    } else {
      i += 1;
    }
  }
  return i;
}

const SYMBOLS: ReadonlyArray<[string, Token]> = [
  ["&&", { type: "and" }],
  ["||", { type: "or" }],
  ["!", { type: "not" }],
  ["(", { type: "open" }],
  [")", { type: "close" }],
];

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const symbol = SYMBOLS.find(([s]) => text.startsWith(s, i));
    if (c === " " || c === "\t") {
      i += 1;
    } else if (symbol) {
      tokens.push(symbol[1]);
      i += symbol[0].length;
    } else if (c === "&" || c === "|") {
      return `unexpected '${c}' at position ${i}: use '${c}${c}'`;
    } else {
      const end = readTag(text, i);
      const tag = text.slice(i, end);
      if (!isValidTag(tag) && !isBuiltInTag(tag)) return `'${tag}' is not a valid tag`;
      tokens.push({ type: "tag", text: tag });
      i = end;
    }
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): TagExpression {
    const expression = this.parseOr();
    if (this.index < this.tokens.length) throw new Error(`unexpected '${this.describe(this.tokens[this.index])}'`);
    return expression;
  }

  private parseOr(): TagExpression {
    let left = this.parseAnd();
    while (this.peek("or")) {
      this.index += 1;
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): TagExpression {
    let left = this.parseUnary();
    while (this.peek("and")) {
      this.index += 1;
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): TagExpression {
    const token = this.tokens[this.index++];
    if (!token) throw new Error("the expression ends too early");
    if (token.type === "not") return { kind: "not", operand: this.parseUnary() };
    if (token.type === "tag") return { kind: "tag", tag: token.text };
    if (token.type === "open") {
      const inner = this.parseOr();
      if (!this.peek("close")) throw new Error("a '(' is not closed");
      this.index += 1;
      return inner;
    }
    throw new Error(`unexpected '${this.describe(token)}'`);
  }

  private peek(type: Token["type"]): boolean {
    return this.tokens[this.index]?.type === type;
  }

  private describe(token: Token): string {
    const symbols = { and: "&&", or: "||", not: "!", open: "(", close: ")" } as const;
    return token.type === "tag" ? token.text : symbols[token.type];
  }
}

function listTags(e: TagExpression): string[] {
  if (e.kind === "tag") return [e.tag];
  if (e.kind === "not") return listTags(e.operand);
  return [...listTags(e.left), ...listTags(e.right)];
}

function usesOnlyOr(e: TagExpression): boolean {
  if (e.kind === "tag") return true;
  if (e.kind === "or") return usesOnlyOr(e.left) && usesOnlyOr(e.right);
  return false;
}

/** Parses and checks NH's size limits; the error text says what is wrong. */
export function parseTagExpression(text: string): ParsedTagExpression {
  if (text.trim() === "") return { ok: false, error: "the tag expression is empty" };
  const tokens = tokenize(text);
  if (typeof tokens === "string") return { ok: false, error: tokens };
  let expression: TagExpression;
  try {
    expression = new Parser(tokens).parseAll();
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const count = listTags(expression).length;
  const limit = usesOnlyOr(expression) ? MAX_TAGS_OR_ONLY : MAX_TAGS_MIXED;
  if (count > limit) {
    return { ok: false, error: `the expression has ${count} tags; the limit is ${limit} (${MAX_TAGS_OR_ONLY} when only '||' is used)` };
  }
  return { ok: true, expression };
}

export function evaluateTagExpression(e: TagExpression, tags: ReadonlySet<string>): boolean {
  switch (e.kind) {
    case "tag":
      return tags.has(e.tag);
    case "not":
      return !evaluateTagExpression(e.operand, tags);
    case "and":
      return evaluateTagExpression(e.left, tags) && evaluateTagExpression(e.right, tags);
    case "or":
      return evaluateTagExpression(e.left, tags) || evaluateTagExpression(e.right, tags);
  }
}
