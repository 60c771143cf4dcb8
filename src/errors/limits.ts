/**
 * Bounds on what an error says. Problems are built from names a server or a file chose (SANs, common names), and a
 * hostile response can hold 150 names of 255 characters each: every message stays readable and under 16 KiB.
 */

/** Longest error message, in characters. */
export const MAX_MESSAGE_LENGTH = 16 * 1024;
/** Longest single problem sentence, in characters. */
const MAX_PROBLEM_LENGTH = 2048;
/** Room kept for the message's own opening sentence. */
const OPENING_ROOM = 512;

/** `text` cut to `max` characters, saying how much was left out. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * Names joined by `, `, at most `maxItems` of them and about `maxChars` characters, then `(and N more)`: enough to
 * recognise the list, never a wall of text.
 */
export function listWithin(names: readonly string[], maxItems = 10, maxChars = 1200): string {
  const shown: string[] = [];
  let length = 0;
  for (const name of names) {
    if (shown.length >= maxItems || (shown.length > 0 && length + name.length > maxChars)) break;
    const item = cutText(name, 300);
    shown.push(item);
    length += item.length + 2;
  }
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(", ")} (and ${more} more)` : shown.join(", ");
}

/**
 * Problem sentences kept within {@link MAX_MESSAGE_LENGTH} in all: each cut to 2 KiB, and once the total would
 * pass the limit, one last line says how many more there were.
 */
export function boundedProblems(problems: readonly string[]): string[] {
  const kept: string[] = [];
  let total = OPENING_ROOM;
  for (const [index, problem] of problems.entries()) {
    const sentence = cutText(problem, MAX_PROBLEM_LENGTH);
    if (total + sentence.length + 8 > MAX_MESSAGE_LENGTH - 64) {
      kept.push(`(and ${problems.length - index} more problems)`);
      break;
    }
    kept.push(sentence);
    total += sentence.length + 8;
  }
  return kept;
}
