/**
 * transportlab/mcmc: see the modules of this folder.
 * @module
 */
export {};
