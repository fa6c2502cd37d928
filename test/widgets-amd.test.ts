/**
 * The AMD bundle of the widget views (widgets/dist/amd/index.js, for RequireJS loaders: VS Code,
 * html-manager embedding): in chromium it defines one anonymous module depending on
 * `@jupyter-widgets/base`, whose models and views extend the base classes it is given, and it
 * does not leak its bundled plotly into the loader (`define` shadowed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBundle } from '../src/cli/frontend.js';
import { launch } from './browser/page.js';

test('the AMD bundle defines transportlab-widgets on top of the given @jupyter-widgets/base', { timeout: 120_000 }, async () => {
  ensureBundle();
  const amd = readFileSync(join(import.meta.dirname, '..', 'widgets', 'dist', 'amd', 'index.js'), 'utf8');
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.setContent('<html><body></body></html>');
    // Plain script text: functions passed to page.evaluate would carry tsx's helpers.
    await page.evaluate(`window.defined = []; window.define = (deps, factory) => window.defined.push({ deps, factory }); window.define.amd = {};`);
    await page.addScriptTag({ content: amd });
    const result = (await page.evaluate(`(() => {
      class DOMWidgetModel { static serializers = {}; defaults() { return { base: true }; } }
      class DOMWidgetView {}
      const mod = window.defined[0].factory({ DOMWidgetModel, DOMWidgetView });
      return {
        count: window.defined.length,
        deps: window.defined[0].deps,
        name: mod.MODULE_NAME,
        version: mod.MODULE_VERSION,
        classes: Object.keys(mod).filter((k) => /(Model|View)$/.test(k)).sort(),
        extendsBase: mod.MarginalsView.prototype instanceof DOMWidgetView && new mod.TimeSliderModel() instanceof DOMWidgetModel,
        defaults: new mod.TimeSliderModel().defaults(),
        figureSerializer: typeof mod.FigureModel.serializers.figure.serialize,
      };
    })()`)) as { count: number; deps: string[]; name: string; version: string; classes: string[]; extendsBase: boolean; defaults: Record<string, unknown>; figureSerializer: string };
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    assert.equal(result.count, 1, 'one module defined (plotly does not call define)');
    assert.deepEqual(result.deps, ['@jupyter-widgets/base']);
    assert.equal(result.name, 'transportlab-widgets');
    assert.equal(result.version, version);
    assert.deepEqual(result.classes, ['EssModel', 'EssView', 'FigureModel', 'FigureView', 'LossModel', 'LossView', 'MarginalsModel', 'MarginalsView', 'TimeSliderModel', 'TimeSliderView']);
    assert.equal(result.extendsBase, true);
    assert.equal(result.defaults.base, true);
    assert.equal(result.defaults._model_name, 'TimeSliderModel');
    assert.equal(result.defaults._view_module, 'transportlab-widgets');
    assert.equal(result.defaults.t, 0);
    assert.equal(result.figureSerializer, 'function');
  } finally {
    await browser.close();
  }
});
