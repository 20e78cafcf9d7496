/**
 * `npm run bench:recurrence`: what the recurrence search budget (apps/shared/src/recurrence/budget.ts)
 * costs in event-loop time on this machine. For each rule the next-occurrence search is run `--rounds`
 * times from the same anchor; prints the outcome, the work rrule did (periods, examined days,
 * candidates) and the median and worst wall time. The adversarial rules stop at the budget (the outside
 * probe measured 5.8-6.7 s for the first one before the budget); the real ones show normal cost.
 * Usage: npm run bench:recurrence [-- --rounds 20]
 */
import os from "node:os";
import { nextOccurrence, recurrenceBudget, Temporal } from "@tasks/shared/recurrence/index";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 20;
const anchor = Temporal.Instant.from("2026-03-01T09:00:00Z");

const rules: [kind: string, rule: string][] = [
  ["adversarial", "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"],
  ["adversarial", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"],
  ["adversarial", "FREQ=WEEKLY;BYMONTH=2;BYWEEKNO=1;BYDAY=MO"],
  ["adversarial", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"],
  ["adversarial", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"],
  ["adversarial", "FREQ=HOURLY;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19;BYSECOND=0,10,20,30,40,50"],
  ["real", "FREQ=WEEKLY;BYDAY=MO,WE,FR"],
  ["real", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13"],
  ["real", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO"],
  ["real", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29"],
];

console.log(`recurrence budget bench: node ${process.version}, ${os.cpus().length} CPUs, ${rounds} rounds per rule`);
console.log(`budget: ${JSON.stringify(recurrenceBudget)}`);
console.log(
  `load average at start: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
let worst = 0;
for (const [kind, rule] of rules) {
  const times: number[] = [];
  let outcome = "";
  let work = { periods: 0, days: 0, candidates: 0 };
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    try {
      const n = nextOccurrence({ recurrence: rule, timeZone: "Europe/Paris", start: anchor }, anchor, { onWork: (w) => (work = w) });
      outcome = n.kind === "next" ? `next ${n.at.toString()}` : `ended (${n.reason})`;
    } catch (err) {
      outcome = `refused: ${(err as Error).message.replace(/^rule is too costly to evaluate: the search for the next occurrence needs /, "")}`;
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const max = times.at(-1)!;
  worst = Math.max(worst, max);
  console.log(
    `${kind.padEnd(11)} ${rule}\n            ${outcome}; work ${JSON.stringify(work)}; median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
  );
}
console.log(`worst single search: ${worst.toFixed(1)} ms`);
console.log(
  `load average at end: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
