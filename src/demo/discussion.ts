/**
 * Demo discussion for the `night-trains` article of the fictional magazine
 * “The Long Table”. Everything here — people, comments, votes — is invented for
 * Parley’s demo and contains no real reader’s words. Pure data: the seeder turns
 * it into users, comments, revisions and votes.
 *
 * Conventions the seeder can rely on:
 * - keys are unique; a `parent` always names an earlier comment in this array;
 * - a reply’s `minutesAfterPublish` is later than its parent’s;
 * - `editedAfterMinutes` counts from when the comment itself was posted (every
 *   edit here is also later than the comment when read as minutes after publish,
 *   and within a 24-hour edit window);
 * - `up + down` never exceeds 22, the number of subscribers other than any
 *   comment’s author, so voters can be distinct subscribers who are not the author;
 * - quotations (`>` lines) are passages that exist in content/night-trains.md.
 */

export interface DemoPerson {
  key: string;
  name: string;
  email: string;
  subscriber: boolean;
}

export interface DemoComment {
  key: string; // unique id within this file, e.g. 'c1'
  parent?: string; // key of the comment it replies to
  author: string; // DemoPerson key
  minutesAfterPublish: number; // when it was posted; a reply must be later than its parent
  body: string; // Markdown subset: paragraphs, *emphasis*, links, > blockquotes, lists, `code`
  up?: number;
  down?: number; // how many OTHER people voted (the seeder picks voters among people)
  editedBody?: string; // if present the comment was later edited to this text (the seeder keeps body as first revision)
  editedAfterMinutes?: number;
  deleted?: boolean; // the author deleted it later (it must have replies hanging below it)
  featured?: boolean; // an editors' pick (the Featured tab)
}

export const demoArticleSlug = 'night-trains';

export const demoPeople: DemoPerson[] = [
  // The two sign-in accounts named in the README.
  { key: 'reader', name: 'Ada Subscriber', email: 'reader@example.com', subscriber: true },
  { key: 'guest', name: 'Gus Guest', email: 'guest@example.com', subscriber: false },
  // The article's author, who joins the discussion.
  { key: 'helena', name: 'Helena Varga', email: 'helena.varga@example.com', subscriber: true },
  { key: 'margaret', name: 'Margaret Hollis', email: 'margaret.hollis@example.com', subscriber: true },
  { key: 'jon', name: 'Jonathan Marsh', email: 'jon.marsh@example.com', subscriber: true },
  { key: 'hiroko', name: 'Hiroko Tanabe', email: 'hiroko.tanabe@example.com', subscriber: true },
  { key: 'jurgen', name: 'Jürgen Albrecht', email: 'juergen.albrecht@example.com', subscriber: true },
  { key: 'sofia', name: 'Sofía Castellanos', email: 'sofia.castellanos@example.com', subscriber: true },
  { key: 'dev', name: 'Devraj Menon', email: 'devraj.menon@example.com', subscriber: true },
  { key: 'olu', name: 'Oluwaseun Adeyemi', email: 'olu.adeyemi@example.com', subscriber: true },
  { key: 'claire', name: 'Claire Dubois-Martin', email: 'claire.dubois@example.com', subscriber: true },
  { key: 'nadia', name: 'Nadia Haddad', email: 'nadia.haddad@example.com', subscriber: true },
  { key: 'tomasz', name: 'Tomasz Wójcik', email: 'tomasz.wojcik@example.com', subscriber: true },
  { key: 'ingrid', name: 'Ingrid Solberg', email: 'ingrid.solberg@example.com', subscriber: true },
  { key: 'rory', name: 'Rory McAllister', email: 'rory.mcallister@example.com', subscriber: true },
  { key: 'lucy', name: 'Lucy Fairbanks', email: 'lucy.fairbanks@example.com', subscriber: true },
  { key: 'eleanor', name: 'Eleanor Pike', email: 'eleanor.pike@example.com', subscriber: true },
  { key: 'kwame', name: 'Kwame Asante', email: 'kwame.asante@example.com', subscriber: true },
  { key: 'pete', name: 'Pete Lindqvist', email: 'pete.lindqvist@example.com', subscriber: true },
  { key: 'anneke', name: 'Anneke de Vries', email: 'anneke.devries@example.com', subscriber: true },
  { key: 'marco', name: 'Marco Bellini', email: 'marco.bellini@example.com', subscriber: true },
  { key: 'sam', name: 'Sam Okafor-Reyes', email: 'sam.okafor@example.com', subscriber: true },
  { key: 'ben', name: 'Ben Thackeray', email: 'ben.thackeray@example.com', subscriber: true },
  { key: 'mei', name: 'Mei-Lin Zhao', email: 'meilin.zhao@example.com', subscriber: true },
  // A lapsed subscriber: can read, cannot post here.
  { key: 'felix', name: 'Felix Brandt', email: 'felix.brandt@example.com', subscriber: false },
];

export const demoDiscussion: DemoComment[] = [
  // ── Thread: “costs you nothing” — the deepest chain (8 levels) ──
  {
    key: 'c1',
    author: 'margaret',
    minutesAfterPublish: 12,
    up: 19,
    down: 1,
    body: 'This is the piece I’ll be sending to everyone who has ever told me a sleeper is a “luxury”.\n\n> The time you spend asleep is the only travel time that costs you nothing.\n\nExatcly. Last spring I took the overnight train to the mountains for a walking holiday and arrived with a whole day ahead of me. The flight would have been cheaper on paper and would have cost me an evening, a taxi, a hotel and most of my good temper.',
    editedBody:
      'This is the piece I’ll be sending to everyone who has ever told me a sleeper is a “luxury”.\n\n> The time you spend asleep is the only travel time that costs you nothing.\n\nExactly. Last spring I took the overnight train to the mountains for a walking holiday and arrived with a whole day ahead of me. The flight would have been cheaper on paper and would have cost me an evening, a taxi, a hotel and most of my good temper.\n\n*Edit: typo. I was typing too fast, too excited.*',
    editedAfterMinutes: 45,
  },
  {
    key: 'c2',
    parent: 'c1',
    author: 'jon',
    minutesAfterPublish: 41,
    up: 4,
    down: 7,
    body: 'Costs you nothing *if you sleep*. I have never once slept properly on a train. Seven hours of being gently shaken in a metal box is not “nothing”, it’s a hangover without the fun.',
  },
  {
    key: 'c3',
    parent: 'c2',
    author: 'margaret',
    minutesAfterPublish: 55,
    up: 9,
    body: 'Fair — I’m a good sleeper, I’ll admit. Earplugs and an eye mask help more than you’d think, and so does the bottom bunk.',
  },
  {
    key: 'c4',
    parent: 'c3',
    author: 'jon',
    minutesAfterPublish: 70,
    up: 3,
    body: 'I’ve tried the earplugs. The problem isn’t the noise, it’s the lurch every time we go over a junction. Like sleeping on a trampoline someone else is using 😄',
  },
  {
    key: 'c5',
    parent: 'c4',
    author: 'hiroko',
    minutesAfterPublish: 96,
    up: 9,
    body: 'The one sleeper I took in Japan had the berths running *lengthwise* along the train, and I slept better than I do at home. Orientation matters! 寝台列車 (shindai ressha, “sleeper train”) is still one of my favourite words.',
  },
  {
    key: 'c6',
    parent: 'c5',
    author: 'jurgen',
    minutesAfterPublish: 130,
    up: 7,
    body: 'Lengthwise is the secret. The old transverse couchettes throw you against the wall at every set of points. Ganz ehrlich: for sleep, the rolling stock matters more than the timetable.',
  },
  {
    key: 'c7',
    parent: 'c6',
    author: 'helena',
    minutesAfterPublish: 210,
    up: 14,
    body: 'Author here — this is a really good point, and one I cut for length. Berth orientation, suspension and how well the couplings are maintained make an enormous difference to sleep, which is one reason the refurbishment question in the piece matters so much. Old stock isn’t just expensive to keep running; it’s *louder*.',
  },
  {
    key: 'c8',
    parent: 'c7',
    author: 'jon',
    minutesAfterPublish: 260,
    up: 12,
    body: 'Okay, that’s genuinely useful. Maybe my problem was never night trains, just bad night trains. Grudgingly revising my position. 🙃',
  },
  {
    key: 'c9',
    parent: 'c1',
    author: 'sofia',
    minutesAfterPublish: 88,
    up: 4,
    body: 'Same for me on the overnight to the coast last summer. Went to sleep in the rain, woke up to the sea. Worth every cent. 🌊',
  },

  // ── Thread: is the subsidy worth it? ──
  {
    key: 'c10',
    author: 'dev',
    minutesAfterPublish: 23,
    featured: true,
    up: 17,
    down: 3,
    body: 'I enjoyed this, but I think it lets the economics off a little lightly.\n\n> If a city can subsidise a concert hall, a state can subsidise a bed that moves.\n\nA concert hall serves a whole city. A sleeper serves a few hundred people a night, many of them — let’s be honest — comfortably off. Subsidy *per passenger* matters, and the piece never gives a number.',
  },
  {
    key: 'c11',
    parent: 'c10',
    author: 'olu',
    minutesAfterPublish: 47,
    up: 13,
    body: 'Per-passenger subsidy is the wrong frame if the alternative is a short-haul flight. You’d have to net off the external costs of the flight and the hotel night, which is exactly what the article says the ledger doesn’t see.',
  },
  {
    key: 'c12',
    parent: 'c11',
    author: 'dev',
    minutesAfterPublish: 64,
    up: 6,
    body: 'Sure, in principle. But “external costs” is where every transport argument goes to become unfalsifiable. Put a figure on it and I’ll listen.',
  },
  {
    key: 'c13',
    parent: 'c12',
    author: 'olu',
    minutesAfterPublish: 91,
    up: 10,
    down: 1,
    body: 'Fair challenge. I’m not an economist, but the rough shape is:\n\n- emissions avoided per passenger × a carbon price\n- plus the hotel night the passenger doesn’t buy\n- minus the extra subsidy per berth\n\nEven with cautious numbers that closes a lot of the gap.',
    editedBody:
      'Fair challenge. I’m not an economist, but the rough shape is:\n\n- emissions avoided per passenger × a carbon price\n- plus the hotel night the passenger doesn’t buy\n- minus the extra subsidy per berth\n\nEven with cautious numbers that closes a lot of the gap. There’s a readable explainer of the method [here](https://example.com/notes/external-costs-of-travel) if anyone wants to check my working — happy to be corrected.',
    editedAfterMinutes: 120,
  },
  {
    key: 'c14',
    parent: 'c13',
    author: 'claire',
    minutesAfterPublish: 150,
    up: 5,
    body: 'This is the most civil disagreement I’ve read in a comment section all year. Carry on 🙂',
  },
  {
    key: 'c15',
    parent: 'c10',
    author: 'nadia',
    minutesAfterPublish: 120,
    up: 8,
    body: 'On the “comfortably off” point: a couchette is often cheaper than a budget flight *plus* the airport train *plus* a night in a hotel. The private-compartment crowd may be well off; the six-berth crowd is students, backpackers and families with too much luggage.',
  },
  {
    key: 'c16',
    parent: 'c15',
    author: 'dev',
    minutesAfterPublish: 170,
    up: 4,
    body: 'That’s a good correction, thank you. I was picturing the brochure, not the couchette.',
  },

  // ── Thread: make it boring again ──
  {
    key: 'c17',
    author: 'tomasz',
    minutesAfterPublish: 35,
    up: 15,
    body: 'Where I grew up, the night train to the seaside in summer was completely normal — whole families with sandwiches, a thermos and a deck of cards. Nobody thought of it as romantic, just practical. Maybe that’s the real goal: make it boring again. Dobranoc! 🚆',
  },
  {
    key: 'c18',
    parent: 'c17',
    author: 'ingrid',
    minutesAfterPublish: 80,
    up: 10,
    body: '“Make it boring again” is the best slogan in this whole thread.',
  },
  {
    key: 'c19',
    parent: 'c17',
    author: 'reader',
    minutesAfterPublish: 140,
    up: 3,
    body: 'This is what I loved about the last paragraph of the piece, too — nobody minding the delay, everyone eating breakfast. Boring in the best way.',
  },

  // ── Thread: the sceptic ──
  {
    key: 'c20',
    author: 'rory',
    minutesAfterPublish: 58,
    up: 2,
    down: 6,
    body: 'Another think-piece romanticising trains. The author even admits it: “I have done my share of romanticising.” Planes exist. They are fast. Move on.',
  },
  {
    key: 'c21',
    parent: 'c20',
    author: 'lucy',
    minutesAfterPublish: 75,
    up: 12,
    body: 'Did you read the next two sentences?\n\n> But the case for the night train is not a nostalgic one. It is a case about what we choose to count.',
  },
  {
    key: 'c22',
    parent: 'c21',
    author: 'rory',
    minutesAfterPublish: 102,
    up: 1,
    down: 2,
    body: 'I read them. I just don’t buy it.',
  },
  {
    key: 'c23',
    parent: 'c22',
    author: 'lucy',
    minutesAfterPublish: 118,
    up: 6,
    body: 'That’s fair enough — but then argue with the counting, not the nostalgia.',
  },

  // ── Thread: the long one, from someone who has bought trains ──
  {
    key: 'c24',
    author: 'eleanor',
    minutesAfterPublish: 132,
    featured: true,
    up: 21,
    body: 'I worked for some years on the procurement side of a regional transport authority, so let me add some colour to the bit about rolling stock, because I think it’s the most underrated line in the piece:\n\n> rolling stock that almost nobody manufactures any more\n\nThe problem is chicken-and-egg. Manufacturers won’t set up a production line for sleeper coaches without a large, firm order. Operators won’t place a large, firm order without knowing the routes will still be running in fifteen years. And nobody can promise them that, because the routes depend on subsidy decisions that change with every government.\n\nSo you get exactly what the article describes: old coaches refurbished, re-refurbished, and kept going with parts salvaged from their siblings. Each refurbishment is cheaper than a new coach, so each one looks like a sensible decision on its own. Added together, they are a slow way of deciding not to have a night-train network at all.\n\nIf I could change one thing, it would be a long-term rolling-stock pool: coaches owned by a public body, across borders, and leased to whoever wins the right to run the routes. It takes the fifteen-year risk off the operator. It isn’t glamorous. It’s the boring plumbing that makes the romantic part possible.',
  },
  {
    key: 'c25',
    parent: 'c24',
    author: 'kwame',
    minutesAfterPublish: 160,
    up: 2,
    body: 'Very insightful.',
  },
  {
    key: 'c26',
    parent: 'c24',
    author: 'jurgen',
    minutesAfterPublish: 175,
    up: 11,
    body: 'A rolling-stock pool is exactly right. It already works for freight wagons — nobody thinks that is strange.',
  },
  {
    key: 'c27',
    parent: 'c26',
    author: 'eleanor',
    minutesAfterPublish: 230,
    up: 7,
    body: 'Yes! Freight leasing is the obvious model. Passenger people just don’t talk to freight people enough.',
  },
  {
    key: 'c28',
    parent: 'c24',
    author: 'helena',
    minutesAfterPublish: 245,
    up: 13,
    body: 'Thank you, Eleanor — this is better than my paragraph. “A slow way of deciding” is going on a sticky note above my desk.',
  },

  // ── Thread: booking ──
  {
    key: 'c29',
    author: 'pete',
    minutesAfterPublish: 190,
    up: 8,
    body: 'The single biggest barrier for me isn’t price, it’s booking. Last time I tried to buy a cross-border sleeper ticket the site just said `ERR_SEGMENT_UNAVAILABLE` and sent me back to the start. It felt like filling in a tax return in three languages.',
    editedBody:
      'The single biggest barrier for me isn’t price, it’s booking. Last time I tried to buy a cross-border sleeper ticket the site just said `ERR_SEGMENT_UNAVAILABLE` and sent me back to the start. It felt like filling in a tax return in three languages.\n\n*Edit:* people have pointed out that booking has improved a lot this year. Fair — it was the *previous* trip that scarred me.',
    editedAfterMinutes: 600,
  },
  {
    key: 'c30',
    parent: 'c29',
    author: 'anneke',
    minutesAfterPublish: 230,
    up: 10,
    body: 'Ha — I once needed two tickets, two reservations and a separate supplement for a single overnight journey. The train itself was lovely.',
  },
  {
    key: 'c31',
    parent: 'c29',
    author: 'marco',
    minutesAfterPublish: 400,
    up: 3,
    body: 'It has improved on the routes I use. Still not one click, but no longer a tax return. More like appealing a parking fine.',
  },
  {
    key: 'c32',
    parent: 'c31',
    author: 'pete',
    minutesAfterPublish: 455,
    up: 5,
    body: '“Appealing a parking fine” is painfully accurate 😂',
  },

  // ── Thread: a question for the author ──
  {
    key: 'c33',
    author: 'sam',
    minutesAfterPublish: 260,
    up: 5,
    body: 'Question for the author: do you have any numbers on how full these trains actually run? If they sell out, the “unprofitable” story is partly about pricing and capacity, not demand.',
  },
  {
    key: 'c34',
    parent: 'c33',
    author: 'helena',
    minutesAfterPublish: 320,
    up: 12,
    body: 'Good question. Operators are cagey about load factors, but the ones I spoke to described their popular routes as effectively sold out weeks ahead in summer, with much weaker midweek loadings in winter. So yes — pricing and capacity are a big part of it. More coaches on the strong routes would probably do more good than brand-new routes.',
  },
  {
    key: 'c35',
    parent: 'c34',
    author: 'sam',
    minutesAfterPublish: 380,
    up: 2,
    body: 'Thanks, that’s really helpful.',
  },

  // ── Thread: the deleted comment (its replies stay) ──
  {
    key: 'c36',
    author: 'ben',
    minutesAfterPublish: 300,
    up: 3,
    down: 8,
    deleted: true,
    body: 'Honestly, anyone who still takes short-haul flights in 2026 should be ashamed of themselves. There’s no excuse any more.',
  },
  {
    key: 'c37',
    parent: 'c36',
    author: 'mei',
    minutesAfterPublish: 325,
    up: 14,
    body: 'I understand the frustration, but shaming people isn’t going to fill a single berth. Plenty of people fly because the train doesn’t exist or costs three times as much — which is rather the article’s point.',
  },
  {
    key: 'c38',
    parent: 'c37',
    author: 'claire',
    minutesAfterPublish: 350,
    up: 9,
    body: 'Agreed. The piece is careful to blame the system, not the passenger. Let’s keep it that way here too.',
  },
  {
    key: 'c39',
    parent: 'c36',
    author: 'ben',
    minutesAfterPublish: 410,
    up: 6,
    body: 'Fair criticism, both of you. I wrote that in a bad mood after a cancelled connection. Leaving your replies up, taking mine down.',
  },

  // ── Thread: bicycles ──
  {
    key: 'c40',
    author: 'sofia',
    minutesAfterPublish: 420,
    up: 3,
    body: 'Does anyone know whether you can bring a bicycle on most sleepers? Asking for a very specific holiday plan. 🚲',
  },
  {
    key: 'c41',
    parent: 'c40',
    author: 'ingrid',
    minutesAfterPublish: 470,
    up: 4,
    body: 'It depends heavily on the route. Some have a handful of bike spaces that must be reserved well in advance, others none at all. Book early.',
  },
  {
    key: 'c42',
    parent: 'c40',
    author: 'anneke',
    minutesAfterPublish: 510,
    up: 2,
    body: 'A folding bike in a bag usually counts as luggage — that’s been my workaround for years.',
  },

  {
    key: 'c43',
    author: 'claire',
    minutesAfterPublish: 600,
    up: 10,
    body: 'The line about hours versus days really stuck with me:\n\n> we measure the train against the plane in hours, when the passenger is measuring it in days.\n\nIt’s true of so many things — commuting, cooking, even reading.',
  },

  {
    key: 'c44',
    author: 'marco',
    minutesAfterPublish: 720,
    up: 7,
    body: 'In the south of Italy there is a night train whose carriages roll onto a ferry to cross the strait. If anyone needs an argument for night trains beyond the economics, go and watch that happen at two in the morning. Che spettacolo.',
  },
  {
    key: 'c45',
    parent: 'c44',
    author: 'hiroko',
    minutesAfterPublish: 800,
    up: 6,
    body: 'That sounds wonderful. Adding it to my list!',
  },

  // ── Thread: accessibility ──
  {
    key: 'c46',
    author: 'kwame',
    minutesAfterPublish: 900,
    up: 4,
    body: 'Something missing from the piece: accessibility. Sleeper cars are notoriously difficult for wheelchair users. If we’re making the case for more of them, new stock has to fix that from day one.',
    editedBody:
      'Something missing from the piece: accessibility. Sleeper cars are notoriously difficult for wheelchair users. If we’re making the case for more of them, new stock has to fix that from day one.\n\n(Edited to add: to be fair, some newer designs do include an accessible compartment. It should be the rule, not the exception.)',
    editedAfterMinutes: 1000,
  },
  {
    key: 'c47',
    parent: 'c46',
    author: 'eleanor',
    minutesAfterPublish: 960,
    up: 9,
    body: 'Strongly agree. And it’s another argument for new rolling stock over endless refurbishment — you can’t retrofit a wider corridor.',
  },

  {
    key: 'c48',
    author: 'mei',
    minutesAfterPublish: 1200,
    up: 2,
    body: 'Slightly off-topic, but the illustration on this piece is gorgeous. Whoever made it: thank you.',
  },

  // ── Thread: reliability ──
  {
    key: 'c49',
    author: 'olu',
    minutesAfterPublish: 1400,
    up: 13,
    body: 'One thing to add to the “what we choose to count” argument: reliability. A night train that’s an hour late is a mild annoyance over breakfast. A flight that’s an hour late can mean a missed connection and a lost day. The spread matters as much as the average.',
  },
  {
    key: 'c50',
    parent: 'c49',
    author: 'dev',
    minutesAfterPublish: 1460,
    up: 8,
    body: 'Now *this* I find persuasive. The expected arrival time isn’t the only number — it’s the bad tail that ruins trips.',
  },
  {
    key: 'c51',
    parent: 'c50',
    author: 'jon',
    minutesAfterPublish: 1530,
    up: 1,
    down: 3,
    body: 'Unless the night train is cancelled outright, in which case your bad tail is sleeping in a station.',
  },
  {
    key: 'c52',
    parent: 'c51',
    author: 'olu',
    minutesAfterPublish: 1600,
    up: 5,
    body: 'True! Though outright cancellations are rare on the routes I know. It’s mostly delays, and the breakfast rolls absorb those.',
  },

  {
    key: 'c53',
    author: 'ingrid',
    minutesAfterPublish: 1800,
    up: 6,
    body: 'A northern perspective: our overnight trains are a lifeline for towns with no airport at all. For them it isn’t a lifestyle choice, it’s the only practical link to the capital.',
  },
  {
    key: 'c54',
    parent: 'c53',
    author: 'pete',
    minutesAfterPublish: 1900,
    up: 3,
    body: 'This is an important point. The article is quite capital-to-capital; the regional night trains deserve a piece of their own.',
  },

  {
    key: 'c55',
    author: 'anneke',
    minutesAfterPublish: 2100,
    up: 9,
    body: 'Dutch reader here. Lovely essay. My tips for first-timers: bring your own pillowcase, a small torch, and low expectations for the breakfast. 🥐',
  },
  {
    key: 'c56',
    parent: 'c55',
    author: 'reader',
    minutesAfterPublish: 2180,
    up: 4,
    body: 'The pillowcase tip is genius. Taking notes.',
  },

  {
    key: 'c57',
    author: 'lucy',
    minutesAfterPublish: 2400,
    up: 1,
    body: 'Does anyone know if the reduced fares for under-26s usually apply to the sleeper supplement, or only to the seat?',
  },
  {
    key: 'c58',
    parent: 'c57',
    author: 'sam',
    minutesAfterPublish: 2460,
    up: 2,
    body: 'It varies by operator, as far as I know — some discount the whole fare, some only the base ticket. Worth checking before you book.',
  },

  {
    key: 'c59',
    author: 'jurgen',
    minutesAfterPublish: 2700,
    up: 11,
    body: 'Zum Schluss: the point about borders is the real one. Every national railway optimises for its own network and its own passengers. A night train across four countries is nobody’s priority — and so it is everyone’s problem.',
  },
  {
    key: 'c60',
    parent: 'c59',
    author: 'helena',
    minutesAfterPublish: 2780,
    up: 7,
    body: '“Nobody’s priority — and so it is everyone’s problem.” I wish I’d written that.',
  },

  {
    key: 'c61',
    author: 'nadia',
    minutesAfterPublish: 3000,
    up: 3,
    body: 'Printed this out to read on my own train home. Very meta, I know.',
  },
  {
    key: 'c62',
    parent: 'c61',
    author: 'margaret',
    minutesAfterPublish: 3100,
    up: 2,
    body: 'The most on-brand thing anyone has done in this thread 😄',
  },

  {
    key: 'c63',
    author: 'ben',
    minutesAfterPublish: 3300,
    up: 2,
    body: 'Small quibble: the article says the train crosses “a border nobody on board will notice”. On my trips there was always a passport check at about two in the morning. Perhaps it depends on the route?',
  },
  {
    key: 'c64',
    parent: 'c63',
    author: 'tomasz',
    minutesAfterPublish: 3350,
    up: 4,
    body: 'Inside the Schengen area usually nobody checks. Outside it, yes — the knock on the compartment door at 2 a.m. is very much still a thing.',
  },
  {
    key: 'c65',
    parent: 'c64',
    author: 'ben',
    minutesAfterPublish: 3420,
    up: 1,
    body: 'That explains it — most of my trips were outside. Thanks.',
  },

  {
    key: 'c66',
    author: 'reader',
    minutesAfterPublish: 3600,
    up: 6,
    body: 'Just booked my first sleeper for January after reading this and the comments. Will report back on the breakfast rolls. 🥐🚆',
  },
  {
    key: 'c67',
    parent: 'c66',
    author: 'anneke',
    minutesAfterPublish: 3680,
    up: 3,
    body: 'Veel plezier! Don’t forget the pillowcase.',
  },
  {
    key: 'c68',
    parent: 'c66',
    author: 'helena',
    minutesAfterPublish: 3900,
    up: 8,
    body: 'This made my week. Enjoy the morning.',
  },

  {
    key: 'c69',
    author: 'kwame',
    minutesAfterPublish: 4100,
    body: 'Late to this, but I’d love a follow-up on who else wants the tracks at night. Isn’t freight where the real capacity conflict is?',
  },
  {
    key: 'c70',
    parent: 'c69',
    author: 'eleanor',
    minutesAfterPublish: 4200,
    up: 2,
    body: 'Yes — night is when both track maintenance and freight want the line. It’s a genuine three-way fight, and the sleeper is usually the smallest party in the room.',
  },
];
