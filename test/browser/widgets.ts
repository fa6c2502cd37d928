/**
 * Reading and driving the transportlab widget views (widgets/src) in a browser page, shared by the
 * end-to-end tests of every front-end. A view is a `.tl-widget[data-view="…View"]` element whose
 * plotly figure lives in its `.tl-plot` element: plotly keeps the figure on that element (`data`,
 * `layout`) and bumps its `data-revision` attribute on every redraw, which is what the redraw
 * recorder below observes.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** A `.tl-plot` element as plotly leaves it: the figure's traces and layout. */
type PlotElement = HTMLElement & { data?: { y?: ArrayLike<number> }[]; layout?: { title?: { text?: string } } };

/** One redraw of a widget plot, recorded in the page by {@link recordRedraws}. */
export interface Redraw {
  /** the widget's view name (`data-view`), `?` outside a widget */
  view: string;
  /** which plot element, numbered in the order first seen (a re-rendered output is a new element) */
  plot: number;
  /** whether the cell was still running (see {@link Running}) */
  running: boolean;
  /** the y values of the figure's traces (first 80 of each), as JSON */
  data: string;
  /** ms since navigation start */
  at: number;
}

/**
 * How a front-end shows that the watched cell is running: the first element matching `selector`
 * exists and, when `contains` is given, its text contains it (e.g. the `[*]` input prompt).
 */
export interface Running {
  selector: string;
  contains?: string;
}

/** The window of a page that {@link recordRedraws} watches. */
interface RecordingWindow {
  redraws: Redraw[];
}

/**
 * Starts recording every redraw of a widget plot in `page` (view, plot element, whether the cell
 * was running, data, time) into the page; {@link redrawsOf} reads them back. A reload forgets them.
 */
export async function recordRedraws(page: Page, running: Running): Promise<void> {
  await page.evaluate((running) => {
    const w = window as unknown as RecordingWindow;
    w.redraws = [];
    const plots = new Map<Element, number>();
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as PlotElement;
        const flag = document.querySelector(running.selector);
        if (!plots.has(el)) plots.set(el, plots.size);
        w.redraws.push({
          view: el.closest('.tl-widget')?.getAttribute('data-view') ?? '?',
          plot: plots.get(el)!,
          running: flag !== null && (running.contains === undefined || (flag.textContent ?? '').includes(running.contains)),
          data: JSON.stringify((el.data ?? []).map((d) => Array.from(d.y ?? []).slice(0, 80))),
          at: performance.now(),
        });
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-revision'] });
  }, running);
}

/** The redraws recorded so far by {@link recordRedraws}. */
export function redrawsOf(page: Page): Promise<Redraw[]> {
  return page.evaluate(() => (window as unknown as RecordingWindow).redraws);
}

/**
 * Asserts that each of `views` was redrawn live: one of its plot elements showed at least 3
 * distinct figures (the first, then at least two changes) while the cell ran; returns the counts
 * for the test's diagnostics. Counted per element
 * because the kernel's display updates at phase ends re-render an output as a new element, and
 * figures spread over several elements would not show that one view updates in place.
 */
export function assertRedrawnLive(redraws: Redraw[], views: string[]): string {
  const counts = views.map((view) => {
    const live = redraws.filter((r) => r.view === view && r.running);
    const perPlot = new Map<number, Set<string>>();
    for (const r of live) perPlot.set(r.plot, (perPlot.get(r.plot) ?? new Set()).add(r.data));
    const distinct = Math.max(0, ...[...perPlot.values()].map((d) => d.size));
    assert.ok(distinct >= 3, `${view}: at most ${distinct} distinct figures drawn in one plot while the cell ran (${live.length} redraws in ${perPlot.size} plots)`);
    return `${view} ${distinct}`;
  });
  return `distinct figures drawn live in one plot: ${counts.join(', ')}`;
}

/** The figure of a widget (`widget` is its `.tl-widget` element): its title and its first trace's y values as JSON. */
export function figureOf(widget: Locator): Promise<{ title: string; y: string }> {
  return widget.locator('.tl-plot').evaluate((el: PlotElement) => ({
    title: el.layout?.title?.text ?? '',
    y: JSON.stringify(Array.from(el.data?.[0]?.y ?? [])),
  }));
}

/** Sets the t-slider of a TimeSliderView (`widget`) to `t` as a user's drag would end: `input`, then `change`. */
export async function moveSlider(widget: Locator, t: number): Promise<void> {
  await widget.locator('input.tl-t-slider').evaluate((el: HTMLInputElement, value) => {
    el.value = value;
    el.dispatchEvent(new Event('input'));
    el.dispatchEvent(new Event('change'));
  }, String(t));
}

/** Waits until the page's TimeSliderView shows the figure at `t`: its title reads `t = <t to 3 decimals>`. */
export async function waitForSliderAt(page: Page, t: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((title) => {
    const el = document.querySelector<PlotElement>('.tl-widget[data-view="TimeSliderView"] .tl-plot');
    return (el?.layout?.title?.text ?? '').includes(title);
  }, `t = ${t.toFixed(3)}`, { timeout });
}
