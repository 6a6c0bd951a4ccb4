/**
 * Plural forms chosen by the language's own rules (CLDR through `Intl.PluralRules`): English has
 * one and other, Arabic zero, one, two, few, many and other. A catalog names the forms its
 * language uses; `other` is always there and catches the rest.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();

export function plural(locale: string, n: number, forms: PluralForms): string {
  let r = rules.get(locale);
  if (!r) {
    r = new Intl.PluralRules(locale);
    rules.set(locale, r);
  }
  return forms[r.select(n)] ?? forms.other;
}

/** `plural` bound to one language, as each catalog uses it. */
export const plurals =
  (locale: string) =>
  (n: number, forms: PluralForms): string =>
    plural(locale, n, forms);
