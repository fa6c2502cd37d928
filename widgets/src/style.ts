/**
 * The views' own CSS. It travels inside the view code and is put into the document once, as a
 * `<style id="transportlab-widgets-style">` in `<head>`, when the first view renders: every host of
 * the views (the bundled notebook page, the JupyterLab labextension chunk, the AMD bundle under
 * VS Code or html-manager, exported HTML) gets the same styles with no stylesheet to load.
 */

/** The id of the injected `<style>` element. */
const STYLE_ID = 'transportlab-widgets-style';

/** The rules, scoped to the views' root class `tl-widget`. */
const CSS = `
.tl-widget .tl-controls { display: flex; gap: 8px; align-items: center; padding: 4px 0; }
.tl-widget .tl-t-slider { width: 320px; }
.tl-widget .tl-plot { width: 100%; }
`;

/** Adds the views' `<style>` to `doc` unless it is already there. */
export function injectStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
