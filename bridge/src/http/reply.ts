/** The contract's response envelopes. */
export const success = <T>(data: T): { status: 'success'; data: T } => ({ status: 'success', data });
export const failure = (error: string): { status: 'error'; error: string } => ({ status: 'error', error });
