/** نصوص الأداة للأجزاء التي تُحمَّل عند استخدامها (الإبلاغ، التنبيهات، القائمة، المحرر). */
import type { WidgetExtrasCatalog } from '../../catalog.js';
import { type PluralForms, plural } from '../../plural.js';

const num = (n: number) => n.toLocaleString('ar');
/** The form Arabic's rules choose for n, with `#` replaced by the number. */
const count = (n: number, forms: PluralForms) => plural('ar', n, forms).replace('#', num(n));
const comments: PluralForms = { zero: 'لا تعليقات', one: 'تعليق واحد', two: 'تعليقان', few: '# تعليقات', many: '# تعليقًا', other: '# تعليق' };
const replies: PluralForms = { zero: 'لا ردود', one: 'رد واحد', two: 'ردّان', few: '# ردود', many: '# ردًّا', other: '# رد' };

export const widgetExtras = {
  inlineTab: {
    none: 'لا تعليقات على المقاطع بعد. حدّد كلمات في المقال لتبدأ تعليقًا.',
    orphaned: 'يتيم: لم يعد هذا المقطع في المقال',
  },
  dialogClose: 'إغلاق',
  edit: {
    label: 'عدّل تعليقك',
    save: 'حفظ',
    saving: 'جارٍ الحفظ…',
    saved: 'حُفظت تعديلاتك.',
    pending: 'حُفظت تعديلاتك وهي بانتظار الإشراف.',
  },
  passageTools: {
    toolbar: 'المقطع المحدد',
    comment: 'علّق على هذا المقطع',
    quote: 'اقتباس',
    count: (n: number) => `${count(n, comments)} على هذا المقطع`,
  },
  actions: {
    more: 'إجراءات أخرى',
    upVote: 'تصويت مؤيد',
    downVote: 'تصويت معارض',
    votes: 'الأصوات',
    ownComment: 'لا يمكنك التصويت على تعليقك.',
    reply: 'رد',
    quote: 'اقتباس',
    report: 'إبلاغ',
    edit: 'تعديل',
    delete: 'حذف',
    copyLink: 'نسخ الرابط',
    copied: 'نُسخ رابط التعليق.',
    deleteConfirm: 'أتحذف هذا التعليق؟ ستبقى الردود عليه.',
    deleteYes: 'نعم، احذفه',
    deleteNo: 'أبقِه',
    deleted: 'حُذف التعليق.',
    mute: (name: string) => `كتم ${name}`,
    unmute: (name: string) => `إلغاء كتم ${name}`,
    muted: (name: string) => `تم كتم ${name}: تُطوى تعليقاته لك. لن يُبلَّغ بذلك؛ يمكنك التراجع هنا أو في حسابك.`,
    unmuted: (name: string) => `لم يعد ${name} مكتومًا.`,
    feature: 'تمييزه كاختيار المحررين',
    unfeature: 'إزالته من اختيارات المحررين',
    featured: 'أصبح التعليق من اختيارات المحررين.',
    unfeatured: 'لم يعد التعليق من اختيارات المحررين.',
  },
  mutedRow: 'كتبه قارئ كتمته. عرض التعليق',
  mentions: { label: 'قراء يمكنك ذكرهم' },
  report: {
    legend: 'لماذا ينبغي للمشرفين مراجعة هذا التعليق؟',
    reasons: { abuse: 'مسيء أو يحض على الكراهية', spam: 'رسائل مزعجة', off_topic: 'خارج الموضوع', other: 'سبب آخر' },
    details: 'تفاصيل (اختياري)',
    send: 'إرسال البلاغ',
    cancel: 'إلغاء',
    thanks: 'شكرًا لك. سيراجعه المشرفون.',
  },
  notify: {
    legend: 'نبّهني إلى',
    article: 'التعليقات الجديدة على هذا المقال',
    featured: 'اختيارات المحررين في هذا المقال',
    replies: 'الردود الجديدة على تعليقاتي',
    digest: 'رسالة بريد واحدة يوميًا بدل رسالة لكل تعليق',
    guestLabel: 'أرسل إليّ التعليقات الجديدة بالبريد (زائر)',
    guestPlaceholder: 'you@example.com',
    guestSubmit: 'نبّهني',
    checkMail: (email: string) => `راجع ${email}: أكّد من هناك لتبدأ التنبيهات.`,
    accountWide: 'تسري الردود والرسالة اليومية على كل المقالات، لا على هذا المقال وحده.',
    accountLink: 'إعدادات تنبيهاتك',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'نُشر تعليقك.',
    replied: 'نُشر ردّك.',
    pending: 'أُرسل تعليقك وهو بانتظار الإشراف.',
    sorted: (label: string) => `رُتّبت التعليقات حسب: ${label}.`,
    loaded: (n: number) => `حُمّل ${count(n, comments)} إضافي.`,
    repliesLoaded: (n: number) => `حُمّل ${count(n, replies)} إضافي.`,
    linked: 'يظهر التعليق المرتبط أولًا.',
    arrived: (n: number) => `تعليقات جديدة وصلت: ${num(n)}.`,
  },
} satisfies WidgetExtrasCatalog;
