/** The ESS-over-time widget: ESS lines redrawn from the kernel (see src/widgets/ess.ts). */
import { FigureModel, FigureView } from './figure.js';

export class EssModel extends FigureModel {
  override defaults() {
    return { ...super.defaults(), _model_name: 'EssModel', _view_name: 'EssView' };
  }
}

export class EssView extends FigureView {}
