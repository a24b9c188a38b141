import { resolveN8nImage } from '../src/parts/images/n8n-image.ts';
import { imageOptionsFromEnv } from '../src/parts/images/options.ts';
const progress = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`);
const opts = imageOptionsFromEnv({ progress });
for (const v of process.argv.slice(2)) console.log(v, '->', await resolveN8nImage(v, opts));
