/**
 * Passage comments for the demo article, so its Inline Feedbacks tab has something to show: each
 * quotes words that exist in content/night-trains.md (the seeder finds them and fails loudly if an
 * edit of the article removed them), and the article's author answers one of them.
 */
export interface DemoPassageComment {
  key: string;
  author: string; // DemoPerson key
  /** The exact words of the article the comment is about. */
  passage: string;
  minutesAfterPublish: number;
  body: string;
  up?: number;
  /** Replies under it (not anchored themselves), e.g. the author's answer. */
  replies?: { key: string; author: string; minutesAfterPublish: number; body: string; up?: number }[];
}

export const demoPassages: DemoPassageComment[] = [
  {
    key: 'p1',
    author: 'ingrid',
    passage: 'the corridor smells of toothpaste and oranges',
    minutesAfterPublish: 30,
    up: 6,
    body: 'Oranges, always oranges. I have never worked out who brings them, but every sleeper I have taken smelled exactly like this by eleven.',
  },
  {
    key: 'p2',
    author: 'dev',
    passage: 'a hotel that moves at ninety kilometres an hour and fills only once a day',
    minutesAfterPublish: 150,
    up: 11,
    body: 'This is the best one-line summary of the problem I have read. It also suggests the answer: hotels sell the same room to business and leisure guests at very different prices.',
    replies: [
      {
        key: 'p2r1',
        author: 'helena',
        minutesAfterPublish: 400,
        up: 9,
        body: 'Thank you. The hotel comparison came from an operator who said they price berths "like a hotel on a Thursday": full rate until six, then whatever fills the bed.',
      },
    ],
  },
  {
    key: 'p3',
    author: 'nadia',
    passage: 'The time you spend asleep is the only travel time that costs you nothing.',
    minutesAfterPublish: 520,
    up: 4,
    body: 'Only if you sleep. A berth over the bogies on a jointed line costs me a whole night, and the next morning too.',
  },
];
