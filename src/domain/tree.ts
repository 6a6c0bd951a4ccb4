/**
 * Shapes one thread (a top-level comment and its replies) for display. Replies arrive flat in
 * time order; they are shown depth-first, each reply's answers below it in time order, indented
 * up to `maxIndent` and flat beyond (those rows name whom they answer).
 */
export interface TreeRow<T> {
  item: T;
  indent: number;
}

interface Node {
  id: number;
  parentId: number | null;
}

export function threadRows<T extends Node>(root: T, replies: readonly T[], maxIndent: number): TreeRow<T>[] {
  const children = new Map<number, T[]>();
  const known = new Set<number>([root.id, ...replies.map((r) => r.id)]);
  for (const r of replies) {
    // A reply whose parent is not shown (hidden by moderation) still belongs to this thread.
    const parent = r.parentId !== null && known.has(r.parentId) ? r.parentId : root.id;
    const list = children.get(parent);
    if (list) list.push(r);
    else children.set(parent, [r]);
  }
  const rows: TreeRow<T>[] = [{ item: root, indent: 0 }];
  // Iterative walk: a 1,000-deep reply chain must not overflow the stack.
  const stack: { item: T; level: number }[] = [];
  const pushChildren = (id: number, level: number) => {
    const list = children.get(id) ?? [];
    for (let i = list.length - 1; i >= 0; i--) stack.push({ item: list[i]!, level });
  };
  pushChildren(root.id, 1);
  while (stack.length) {
    const { item, level } = stack.pop()!;
    rows.push({ item, indent: Math.min(level, maxIndent) });
    pushChildren(item.id, level + 1);
  }
  return rows;
}

/** Merges newly loaded replies into those already shown, keeping time order and dropping repeats. */
export function mergeReplies<T extends { id: number; createdAt: string }>(shown: readonly T[], more: readonly T[]): T[] {
  const byId = new Map<number, T>();
  for (const r of shown) byId.set(r.id, r);
  for (const r of more) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
}
