/** Text a submission controls, made safe to put in a message or an output. */

/** `text` cut to `max` characters plus "… (N more characters)"; never splits a surrogate pair. */
export function boundString(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // a high surrogate without its low half
  return `${text.slice(0, cut)}… (${text.length - cut} more characters)`;
}
