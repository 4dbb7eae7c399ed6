/**
 * True when two types are the same. An answer's zod schema (for the OpenAPI document) and the
 * TypeScript type its service returns are written apart; `shapes<Same<z.output<typeof s>, T>>()`
 * beside the schema stops the type-check when one changes without the other.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export function shapes<_Check extends true>(): void {}
