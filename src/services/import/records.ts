/** What the importers read from another system's export, before anything is written. */

/** The page a comment was written under, as the other system knows it. */
export interface ImportedThread {
  /** The other system's id of the page, unique within one file. */
  key: string;
  url: string | null;
  title: string;
  publishedAt: Date | null;
  /** The other system's own slug, when it has one (WordPress `post_name`). */
  slug?: string | null;
}

export interface ImportedAuthor {
  name: string;
  email: string | null;
  /** A stable handle (Disqus username) for authors without an email address. */
  handle: string | null;
}

export interface ImportedComment {
  sourceId: string;
  parentSourceId: string | null;
  thread: ImportedThread;
  author: ImportedAuthor;
  createdAt: Date;
  html: string;
  newlines: 'collapse' | 'keep';
  status: 'visible' | 'pending';
  votes?: { up: number; down: number } | null;
  pinned?: boolean;
  locked?: boolean;
  editedAt?: Date | null;
  /** Who made the last edit, when the file says; otherwise the author made it (readers may edit only their own words). */
  editedBy?: ImportedAuthor | null;

  /** The file's text of the comment was longer than the reader kept (see `ImportWriter.maxText`). */
  clipped?: boolean;
}
