/** The marginals widget: a corner plot redrawn from the kernel (see src/widgets/marginals.ts). */
import { FigureModel, FigureView } from './figure.js';

export class MarginalsModel extends FigureModel {
  override defaults() {
    return { ...super.defaults(), _model_name: 'MarginalsModel', _view_name: 'MarginalsView' };
  }
}

export class MarginalsView extends FigureView {}
