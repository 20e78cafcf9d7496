/** `npm run web:size`: the bundle's sizes, and exit 1 when the first load is over budget. */
import { buildBundle } from "./bundle.js";
import { firstLoadBudgetBytes, measureBundle } from "./size.js";

const size = measureBundle(await buildBundle());
const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
for (const a of size.assets) console.log(`${a.path.padEnd(40)} ${kb(a.raw).padStart(10)} raw ${kb(a.gzip).padStart(10)} gzip`);
console.log(`first load: ${kb(size.firstLoadGzip)} gzip (budget ${kb(firstLoadBudgetBytes)}); everything: ${kb(size.totalGzip)} gzip`);
if (size.firstLoadGzip > firstLoadBudgetBytes) process.exit(1);
