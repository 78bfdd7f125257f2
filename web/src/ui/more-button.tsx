import type { KeysetList } from './use-api.js';
import { InlineProblem } from './problem.js';

/** The foot of a keyset list: its error, "Show more", or the note that it is all. */
export function ListFoot<T>({ list, noun }: { list: KeysetList<T>; noun: string }) {
  if (list.error) return <InlineProblem error={list.error} retry={list.items.length ? list.loadMore : list.reload} />;
  if (list.loading)
    return (
      <p class="loading" role="status">
        Loading {noun}…
      </p>
    );
  if (list.hasMore)
    return (
      <p class="list-foot">
        <button type="button" class="button" onClick={list.loadMore}>
          Show more {noun}
        </button>
      </p>
    );
  if (list.items.length === 0) return null;
  return (
    <p class="list-foot muted" role="status">
      {list.items.length === 1 ? 'That is the only one.' : `All ${list.items.length} shown.`}
    </p>
  );
}
