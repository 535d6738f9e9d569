/**
 * The matching key of an employer's name (工作单位): the same text however it was typed, and
 * nothing more. NFKC folds full-width letters, digits, brackets (（长春） → (长春)) and
 * compatibility spaces; then every whitespace and invisible zero-width character is dropped, so
 * "长春市 第一医院" and "长春市第一医院" are one key. Deliberately conservative: no case folding,
 * no other bracket shapes (〔〕【】 stay as typed), no synonyms, no fuzzy distance — a wrong match
 * would put a person's figures under another employer, while a missed one only leaves the text
 * unmatched for an admin to see. Pure; the one definition used by matching and the admin list.
 */
export function normaliseEmployerName(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u200b-\u200d\u2060\ufeff]+/gu, '')
}
