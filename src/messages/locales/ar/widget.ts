/** نصوص أداة النقاش (التنزيل الأول لـ widget.ar.js). */
import type { WidgetCatalog } from '../../catalog.js';
import type { PluralForms } from '../../plural.js';

const num = (n: number) => n.toLocaleString('ar');
const rules = new Intl.PluralRules('ar');
/** Arabic has six plural forms; `#` in a form stands for the number. */
const pl = (n: number, f: PluralForms) => (f[rules.select(n)] ?? f.other).replace('#', num(n));
const comments: PluralForms = { zero: 'لا تعليقات', one: 'تعليق واحد', two: 'تعليقان', few: '# تعليقات', many: '# تعليقًا', other: '# تعليق' };
const replies: PluralForms = { zero: 'لا ردود', one: 'رد واحد', two: 'ردّان', few: '# ردود', many: '# ردًّا', other: '# رد' };
const newComments: PluralForms = {
  zero: 'لا تعليقات جديدة',
  one: 'تعليق جديد واحد',
  two: 'تعليقان جديدان',
  few: '# تعليقات جديدة',
  many: '# تعليقًا جديدًا',
  other: '# تعليق جديد',
};

export const widget = {
  commentsCount: (n: number) => pl(n, comments),
  sortLabel: 'ترتيب التعليقات',
  sorts: { top: 'الأعلى تصويتًا', newest: 'الأحدث', oldest: 'الأقدم', featured: 'المميزة' },
  inline: 'تعليقات على المقاطع',
  passage: {
    about: 'حول هذا المقطع:',
    remove: 'ليس حول مقطع',
  },
  viewAll: 'عرض كل التعليقات',
  joinHeading: 'انضم إلى النقاش',
  joinText: 'للمشاركة في النقاش في التعليقات، اشترك اشتراكًا مدفوعًا.',
  joinBenefits: 'انضم إلى قرّاء يشاركونك الاهتمام ويدعمون صحافتنا، واقرأ المقالات بلا حدود، واستمتع بمزايا أخرى للمشتركين وحدهم.',
  joinMembers: 'سجّل الدخول للمشاركة في النقاش في التعليقات.',
  subscribe: 'اشترك',
  signIn: 'تسجيل الدخول',
  signedInAs: (name: string) => `تم الدخول باسم ${name}`,
  closed: 'التعليقات مغلقة.',
  suspended: 'لا يمكن لحسابك المشاركة في النقاشات حاليًا.',
  composerLabel: 'اكتب تعليقًا',
  replyLabel: (name: string) => `ردّك على ${name}`,
  markdownHint: 'يمكنك استخدام Markdown: *مائل*، **عريض**، [رابط](https://example.com)، > اقتباس، - قائمة، `شيفرة`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${pl(over, { one: 'حرف واحد', two: 'حرفان', few: '# أحرف', many: '# حرفًا', other: '# حرف' })} زيادة عن الحد`,
  post: 'نشر',
  postReply: 'نشر الرد',
  posting: 'جارٍ النشر…',
  cancel: 'إلغاء',
  permalinkLabel: 'رابط هذا التعليق',
  moreActions: 'إجراءات أخرى',
  replyTo: (name: string) => `ردًّا على ${name}`,
  deleted: 'حُذف هذا التعليق',
  pending: 'بانتظار الإشراف',
  author: 'الكاتب',
  edited: (when: string, name: string | null) => (name ? `آخر تعديل ${when} بواسطة ${name}` : `آخر تعديل ${when}`),
  intl: 'ar',
  justNow: 'الآن',
  moreReplies: (k: number) => `عرض ${pl(k, replies)} أخرى`,
  loadMore: 'تحميل المزيد',
  loading: 'جارٍ التحميل…',
  noComments: 'لا تعليقات بعد.',
  inReplyTo: (name: string) => `ردًّا على ${name}`,
  mutedRow: 'كتبه قارئ كتمتَه.',
  showComment: 'عرض التعليق',
  failed: 'حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى.',
  networkError: 'تعذّر الوصول إلى الخادم. تحقّق من اتصالك وحاول مرة أخرى.',
  announce: {
    posted: 'نُشر تعليقك.',
    replied: 'نُشر ردّك.',
    pending: 'أُرسل تعليقك وهو بانتظار الإشراف.',
    sorted: (label: string) => `رُتّبت التعليقات حسب: ${label}.`,
    loaded: (n: number) => `حُمّل ${pl(n, comments)} إضافي.`,
    repliesLoaded: (n: number) => `حُمّل ${pl(n, replies)} إضافي.`,
    linked: 'يظهر التعليق المرتبط أولًا.',
  },
  live: {
    newComments: (n: number) => `عرض ${pl(n, newComments)}`,
    arrived: (n: number) => `وصل ${pl(n, newComments)}.`,
  },
} satisfies WidgetCatalog;
