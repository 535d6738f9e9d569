/**
 * Names as they arrive from spreadsheets typed on Chinese keyboards: full-width letters, ideographic
 * spaces (U+3000) and the several look-alike middle dots used in transliterated minority and foreign
 * names (e.g. 阿依古丽·买买提). Pure.
 */

// U+2022 bullet, U+30FB katakana middle dot (U+FF65 becomes it under NFKC), U+2027 hyphenation point,
// U+2219 bullet operator, U+22C5 dot operator: all typed in place of U+00B7 by different IMEs.
const MIDDLE_DOTS = /[\u2022\u30FB\uFF65\u2027\u2219\u22C5]/g
// \s covers U+3000, NBSP and U+FEFF; zero-width spaces are not whitespace to JS but are invisible in Excel.
const SPACES = /[\s\u200B-\u200D]/g

export function normaliseName(raw: string): string {
  return raw.normalize('NFKC').replace(MIDDLE_DOTS, '\u00B7').replace(SPACES, '')
}
