/**
 * Excessive scrolling (DEFINITIONS "Navigation friction"): ≥ 4 changes of scroll direction, each
 * covering ≥ half a viewport, within 10 s — the visitor is searching the page for something.
 */
import type { Signal } from '../types';
import { listen } from '../lib/listen';
import { onPageView } from '../lib/page';

/**
 * Emits `friction` `excessive_scroll` (count: the direction changes) at the 4th change of direction
 * of the page's scroll within 10 000 ms, then counts afresh. A change counts once the page has
 * moved back by half a viewport from the furthest point of the previous run, which itself covered
 * half a viewport, so jitter and small corrections are not changes.
 */
export const startExcessiveScroll: Signal = (emit) => {
  let dir = 0;
  let far = scrollY;
  let turns: number[] = [];
  const offs = [
    listen('scroll', (e) => {
      // the page's own scroll (at the document, or the window), not that of inner scrolling boxes
      if ((e.target as Node).nodeType != 1) {
        const y = scrollY;
        const now = Date.now();
        if ((y - far) * dir > 0) far = y;
        else if (Math.abs(y - far) >= innerHeight / 2) {
          if (dir && (turns = turns.filter((t) => now - t <= 10000)).push(now) > 3) {
            emit('friction', { kind: 'excessive_scroll', count: turns.length });
            turns = [];
          }
          dir = y > far ? 1 : -1;
          far = y;
        }
      }
    }),
    onPageView(() => {
      dir = 0;
      turns = [];
    }),
  ];
  return () => offs.forEach((off) => off());
};
