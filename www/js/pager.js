// @ts-check
// Infinite scrolling over any `.pages()` iterator: the next page is fetched when a sentinel
// element scrolls into view. Used by the thread list and by a thread's messages.
import { replace } from "./dom.js";
import { errorBox, isAborted } from "./errors.js";

/** An IntersectionObserver calling `callback(element)` for each observed element that scrolls into view in `root`. */
export function observeVisible(root, callback, rootMargin = "200px") {
  return new IntersectionObserver(
    (entries) => entries.forEach((entry) => entry.isIntersecting && callback(entry.target)),
    { root, rootMargin },
  );
}

/**
 * pages: AsyncIterable of Graph pages; render(page) appends its items and returns how many;
 * status: element for "loading…", the end-of-list note and errors; text: { loading, end(n), empty, doing }.
 */
export function pageOnScroll({ pages, sentinel, root, status, render, text }) {
  const iterator = pages[Symbol.asyncIterator]();
  let busy = false;
  let finished = false;
  let count = 0;

  const observer = observeVisible(root, () => load());

  async function load() {
    if (busy || finished) return;
    busy = true;
    replace(status, text.loading);
    try {
      const step = await iterator.next();
      if (step.done) finished = true;
      else count += render(step.value);
    } catch (e) {
      finished = true;
      observer.disconnect();
      replace(status, isAborted(e) ? "" : errorBox(e, text.doing));
      return;
    } finally {
      busy = false;
    }
    if (finished) {
      observer.disconnect();
      replace(status, count > 0 ? text.end(count) : text.empty);
    } else {
      replace(status, "");
      // Re-observing reports the sentinel's current state: a short list keeps loading.
      observer.unobserve(sentinel);
      observer.observe(sentinel);
    }
  }

  observer.observe(sentinel);
  return {
    stop() {
      finished = true;
      observer.disconnect();
    },
    get loading() {
      return busy;
    },
  };
}
