// @ts-check
// Requests over a sync's time: the cumulative count reported by onProgress (a step line) against
// what the rate limit allows (a dashed line rising at `limit` calls per second). syncInbox reports
// after each synced thread, so the steps are as fine as its yields; the slope is what matters.

export class RequestChart {
  #canvas;
  #points = []; // [elapsed seconds, cumulative requests]

  constructor(canvas) {
    this.#canvas = canvas;
  }

  reset() {
    this.#points = [];
  }

  /** `requests` is the cumulative count at `elapsedMs` since the sync began. */
  record(elapsedMs, requests) {
    this.#points.push([elapsedMs / 1000, requests]);
  }

  draw(limit, nowMs) {
    const canvas = this.#canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = Math.round(width * 0.42);
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);

    const points = this.#points;
    const last = points.at(-1) ?? [0, 0];
    const seconds = Math.max(5, Math.ceil(Math.max(last[0], (nowMs ?? 0) / 1000)));
    const total = last[1];
    const top = Math.max(4, Math.ceil(total * 1.25));
    const pad = { left: 30, right: 10, top: 10, bottom: 20 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const x = (s) => pad.left + (s / seconds) * plotW;
    const y = (n) => pad.top + plotH - (Math.min(n, top) / top) * plotH;

    ctx.font = "11px system-ui, sans-serif";
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#9ca3af";
    ctx.beginPath();
    ctx.moveTo(pad.left, pad.top);
    ctx.lineTo(pad.left, pad.top + plotH);
    ctx.lineTo(pad.left + plotW, pad.top + plotH);
    ctx.stroke();
    ctx.fillStyle = "#4b5563";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(String(top), pad.left - 4, y(top));
    ctx.fillText("0", pad.left - 4, y(0));
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText("0 s", pad.left, pad.top + plotH + 4);
    ctx.textAlign = "right";
    ctx.fillText(`${seconds} s`, pad.left + plotW, pad.top + plotH + 4);

    if (limit > 0) {
      // What the limit allows on average by time t: limit × t.
      const end = Math.min(seconds, top / limit);
      ctx.strokeStyle = "#b91c1c";
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(x(0), y(0));
      ctx.lineTo(x(end), y(limit * end));
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#b91c1c";
      // Under the axis, centred: clear of both lines whatever their slopes.
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillText(`- - limit ${limit}/s`, pad.left + plotW / 2, pad.top + plotH + 4);
    }

    if (points.length) {
      ctx.strokeStyle = "#1d4ed8";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x(0), y(0));
      let previous = 0;
      for (const [s, n] of points) {
        ctx.lineTo(x(s), y(previous));
        ctx.lineTo(x(s), y(n));
        previous = n;
      }
      ctx.stroke();
      ctx.fillStyle = "#1d4ed8";
      ctx.textAlign = "left";
      ctx.textBaseline = "bottom";
      ctx.fillText(`${total} requests`, pad.left + 6, pad.top + 12);
    }

    const rate = last[0] > 0 ? (total / last[0]).toFixed(1) : "0";
    canvas.setAttribute(
      "aria-label",
      total === 0
        ? "Requests over time: none yet"
        : `Requests over time: ${total} requests in ${last[0].toFixed(1)} s, ${rate} per second on average` +
          (limit > 0 ? `, limit ${limit} per second` : ""),
    );
  }
}
