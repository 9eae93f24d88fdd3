// Sends GET <url> over keep-alive connections every 20 ms for <ms> milliseconds and prints the
// latencies (ms) as JSON. A process of its own, so that what the test does meanwhile (opening
// and watching a thousand connections) does not delay the measurement.
import http from "node:http";

const [url, ms] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const latencies = [];
const failures = [];
const until = performance.now() + Number(ms);
while (performance.now() < until) {
  const started = performance.now();
  const status = await new Promise((resolve) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      })
      .on("error", (e) => resolve(e.code ?? "error"));
  });
  if (status === 200) latencies.push(performance.now() - started);
  else failures.push(status);
  await new Promise((r) => setTimeout(r, 20));
}
agent.destroy();
process.stdout.write(JSON.stringify({ latencies, failures }));
