/** Joins class names, skipping falsy entries, so conditional Tailwind classes stay readable. */
export function cx(...classNames: Array<string | false | null | undefined>): string {
  return classNames.filter(Boolean).join(" ");
}
