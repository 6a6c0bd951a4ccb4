/** نصوص أداة النقاش (التنزيل الأول لـ widget.ar.js). */
import type { WidgetCatalog } from '../../catalog.js';

const num = (n: number) => n.toLocaleString('ar');
export const widget = {
  // "التعليقات (73)": a count beside its noun reads naturally and needs none of Arabic's six plural forms in the first download (the pages and mails use them).
  commentsCount: (n: number) => `التعليقات (${num(n)})`,
  sortLabel: 'ترتيب التعليقات',
  sorts: { top: 'الأعلى تصويتا', newest: 'الأحدث', oldest: 'الأقدم', featured: 'المميزة' },
  inline: 'تعليقات المقاطع',
  passage: {
    about: 'حول هذا المقطع:',
    remove: 'ليس حول مقطع',
  },
  viewAll: 'عرض كل التعليقات',
  joinHeading: 'انضم إلى النقاش',
  joinText: 'شارك في النقاش باشتراك مدفوع.',
  joinBenefits: 'اقرأ بلا حدود، وادعم صحافتنا، واستمتع بمزايا المشتركين.',
  joinMembers: 'سجل الدخول للمشاركة في النقاش.',
  subscribe: 'اشترك',
  signIn: 'تسجيل الدخول',
  signedInAs: (name: string) => `تم الدخول باسم ${name}`,
  closed: 'التعليقات مغلقة.',
  suspended: 'حسابك موقوف عن المشاركة حاليا.',
  composerLabel: 'اكتب تعليقا',
  replyLabel: (name: string) => `ردك على ${name}`,
  markdownHint: 'Markdown: *مائل*، **عريض**، [رابط](https://example.com)، > اقتباس، - قائمة، `شيفرة`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  // Counts without a counted noun ("the limit exceeded by: 12") read naturally in Arabic and need no plural table.
  counterOver: (over: number) => `تجاوزت الحد بـ ${num(over)}`,
  post: 'نشر',
  postReply: 'نشر الرد',
  posting: 'جار النشر…',
  cancel: 'إلغاء',
  replyTo: (name: string) => `ردا على ${name}`,
  deleted: 'حذف هذا التعليق',
  pending: 'بانتظار الإشراف',
  author: 'الكاتب',
  edited: (when: string, name: string | null) => (name ? `عدله ${name} ${when}` : `عدل ${when}`),
  intl: 'ar',
  justNow: 'الآن',
  moreReplies: (k: number) => `عرض ردود أخرى (${num(k)})`,
  loadMore: 'تحميل المزيد',
  loading: 'جار التحميل…',
  noComments: 'لا تعليقات بعد.',
  failed: 'حدث خطأ لدينا. أعد المحاولة.',
  networkError: 'تعذر الاتصال بالخادم. تحقق من اتصالك.',
  live: {
    newComments: (n: number) => `عرض التعليقات الجديدة (${num(n)})`,
  },
} satisfies WidgetCatalog;
