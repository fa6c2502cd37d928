/**
 * A live Jupyter widget manager for the page: html-manager's HTMLManager (which knows
 * @jupyter-widgets/base, controls and output) connected to a running kernel's comms (target
 * `jupyter.widget`), with the transportlab views loaded from the bundle.
 */
import { shims } from '@jupyter-widgets/base';
import { HTMLManager } from '@jupyter-widgets/html-manager';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import * as views from '../../widgets/src/index.js';

/** The widget manager of one kernel connection. */
export class KernelWidgetManager extends HTMLManager {
  private readonly onOpen: (comm: Kernel.IComm, msg: KernelMessage.ICommOpenMsg) => Promise<void>;

  constructor(private readonly kernel: Kernel.IKernelConnection) {
    super({
      loader: async (moduleName: string) => {
        if (moduleName === views.MODULE_NAME) return views;
        throw new Error(`widget module ${moduleName} is not available in this front-end`);
      },
    });
    this.onOpen = async (comm, msg) => {
      await this.handle_comm_open(new shims.services.Comm(comm as never), msg as never);
    };
    kernel.registerCommTarget('jupyter.widget', this.onOpen);
  }

  override async _create_comm(target: string, modelId: string, data?: unknown, metadata?: unknown, buffers?: ArrayBuffer[] | ArrayBufferView[]): Promise<any> {
    const comm = this.kernel.createComm(target, modelId);
    if (data || metadata) comm.open(data as never, metadata as never, buffers as never);
    return new shims.services.Comm(comm as never);
  }

  override async _get_comm_info(): Promise<{}> {
    const reply = await this.kernel.requestCommInfo({ target_name: 'jupyter.widget' });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }

  /** Stops listening to the kernel (the page is closing; the kernel keeps its widgets). */
  dispose(): void {
    this.kernel.removeCommTarget('jupyter.widget', this.onOpen);
  }
}
