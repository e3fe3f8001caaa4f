/** At most `max` lines of a list in a chat message, and how many more there are. */
export function listed(lines: string[], max = 20): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `……另有 ${lines.length - max} 个`];
}
