import { z } from 'zod';

// zod probes for eval with `new Function` the first time it parses; under our CSP (no
// 'unsafe-eval') the browser refuses and reports a policy violation on every page, although zod
// swallows the error. Jitless parsing never probes. This file runs before the app hydrates.
z.config({ jitless: true });
