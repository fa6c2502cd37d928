/**
 * The time-slider widget: a range input over t ∈ [t_min, t_max] above the marginals. Releasing
 * the slider sends `t` to the kernel (a widget update); the kernel answers with the figure at t.
 */
import { FigureModel, FigureView } from './figure.js';

export class TimeSliderModel extends FigureModel {
  override defaults() {
    return { ...super.defaults(), _model_name: 'TimeSliderModel', _view_name: 'TimeSliderView', t: 0, t_min: 0, t_max: 1, step: 0.01 };
  }
}

export class TimeSliderView extends FigureView {
  private input!: HTMLInputElement;
  private readout!: HTMLSpanElement;

  protected override renderControls(): void {
    const row = document.createElement('div');
    row.className = 'tl-controls';
    this.input = document.createElement('input');
    this.input.type = 'range';
    this.input.className = 'tl-t-slider';
    this.input.min = String(this.model.get('t_min'));
    this.input.max = String(this.model.get('t_max'));
    this.input.step = String(this.model.get('step'));
    this.readout = document.createElement('span');
    this.readout.className = 'tl-t-readout';
    this.show();
    this.input.addEventListener('input', () => (this.readout.textContent = `t = ${Number(this.input.value).toFixed(2)}`));
    this.input.addEventListener('change', () => {
      this.model.set('t', Number(this.input.value));
      this.touch();
    });
    row.append('t ', this.input, this.readout);
    this.el.appendChild(row);
    this.listenTo(this.model, 'change:t', () => this.show());
  }

  private show(): void {
    const t = Number(this.model.get('t'));
    this.input.value = String(t);
    this.readout.textContent = `t = ${t.toFixed(2)}`;
  }
}
