/** The widget module name and version the kernel asks for (src/widgets/protocol.ts). */
declare const __TRANSPORTLAB_VERSION__: string;

/** The npm module name of the views, as the kernel's `_view_module`. */
export const MODULE_NAME = 'transportlab-widgets';
/** The module version (the transportlab package version, injected at build time). */
export const MODULE_VERSION: string = typeof __TRANSPORTLAB_VERSION__ === 'string' ? __TRANSPORTLAB_VERSION__ : '0.1.0';
