// Moved down to io/ (the parse workers of the text readers start threads too); kept here for the modules of this layer.
export { siblingUrl, startWorker, workerExecArgv } from '../io/worker-start.js';
