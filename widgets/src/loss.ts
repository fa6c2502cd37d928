/**
 * The loss-curve widget: named losses against iteration with a "log scale" checkbox bound to the
 * `log_y` state; toggling it sends the change to the kernel, which redraws with a log axis.
 */
import { FigureModel, FigureView } from './figure.js';

export class LossModel extends FigureModel {
  override defaults() {
    return { ...super.defaults(), _model_name: 'LossModel', _view_name: 'LossView', log_y: false };
  }
}

export class LossView extends FigureView {
  private box!: HTMLInputElement;

  protected override renderControls(): void {
    const label = document.createElement('label');
    label.className = 'tl-controls';
    this.box = document.createElement('input');
    this.box.type = 'checkbox';
    this.box.className = 'tl-log-toggle';
    this.box.checked = this.model.get('log_y') === true;
    this.box.addEventListener('change', () => {
      this.model.set('log_y', this.box.checked);
      this.touch();
    });
    label.append(this.box, ' log scale');
    this.el.appendChild(label);
    this.listenTo(this.model, 'change:log_y', () => (this.box.checked = this.model.get('log_y') === true));
  }
}
