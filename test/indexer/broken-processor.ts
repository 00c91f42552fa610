// A processor module that cannot even be loaded: every worker dies while starting.
throw new Error('processor failed to load');
