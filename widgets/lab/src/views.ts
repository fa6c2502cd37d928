/** The widget models and views of transportlab-widgets (the lazily loaded chunk of the plugin). */
export { FigureModel, FigureView, MarginalsModel, MarginalsView, EssModel, EssView, LossModel, LossView, TimeSliderModel, TimeSliderView } from '../../src/index.js';
