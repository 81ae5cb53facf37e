/**
 * One shared, flat copy of a string. V8 keeps a sliced or concatenated string as a tree of pieces that can hold a
 * whole file's text alive, or cost several times the text's size; an object's property key goes through V8's string
 * table, which flattens it and dedupes equal strings. For strings kept as long as the configuration they belong to.
 *
 * Importable from every layer.
 */
export function intern(s: string): string {
  const holder: Record<string, 0> = { [s]: 0 };
  for (const key in holder) return key;
  return s;
}
