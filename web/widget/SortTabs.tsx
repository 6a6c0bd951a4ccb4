import { SORT_ORDERS, type SortOrder } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/current/widget.js';

const m = wm;

/** Links first (they work without JavaScript), taken over by the widget once it runs. */
export function SortTabs({ sort, onSort, inline }: { sort: SortOrder | 'inline'; onSort(s: SortOrder): void; inline?: () => void }) {
  return (
    <nav class="parley-sorts" aria-label={m.sortLabel}>
      <ul>
        {SORT_ORDERS.map((s) => (
          <li key={s}>
            <a
              href={`?sort=${s}#comments`}
              aria-current={s === sort ? 'true' : undefined}
              onClick={(e) => {
                // Modified clicks keep their meaning: a sort opened in a new tab.
                if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                e.preventDefault();
                onSort(s);
              }}
            >
              {m.sorts[s]}
            </a>
          </li>
        ))}
        {inline ? (
          <li>
            <a
              href="#parley-inline"
              aria-current={sort === 'inline' ? 'true' : undefined}
              onClick={(e) => {
                e.preventDefault();
                inline();
              }}
            >
              {m.inline}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
