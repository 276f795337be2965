#!/usr/bin/env python3
"""What one Elasticsearch request costs on this machine, whatever it asks: the floor under any chart that makes one.

A Kibana chart over a relative range (now-30d -> now, cut at the millisecond) makes one count request for its edges'
page views (EdgeCounts): this prints how long that request takes beside the cheapest requests Elasticsearch serves,
each over the same keep-alive connection, the kinds interleaved, every count over different cuts (no cache hit).
Run it against any node holding time-based data, once back to back and once with a pause before each request (an
idle machine, as between a user's clicks):

  benchmarks/kibana/es-request-floor.py --es http://127.0.0.1:9200 --index 'weblogs-*' --requests 300
  benchmarks/kibana/es-request-floor.py --es http://127.0.0.1:9200 --index 'weblogs-*' --requests 150 --pause-ms 50
"""
import argparse
import http.client
import json
import random
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--es", required=True, help="the node's URL, http://host:port")
    parser.add_argument("--index", required=True, help="the source's index pattern")
    parser.add_argument("--time-field", default="@timestamp")
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind")
    parser.add_argument("--pause-ms", type=float, default=0, help="idle time before each request")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.es)
    conn = http.client.HTTPConnection(url.hostname, url.port or 9200)
    field, index = args.time_field, urllib.parse.quote(args.index, safe="*,")

    def call(method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        start = time.perf_counter()
        conn.request(method, path, None if body is None else json.dumps(body), headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200 and not (method == "GET" and "/_doc/" in path):
            raise SystemExit(f"{method} {path} answered {response.status}: {data[:300]!r}")
        return elapsed, data

    _, data = call("POST", f"/{index}/_search?size=0",
                   {"aggs": {"lo": {"min": {"field": field}}, "hi": {"max": {"field": field}}}})
    aggs = json.loads(data)["aggregations"]
    lo, hi = int(aggs["lo"]["value"]), int(aggs["hi"]["value"])
    one_index = None
    _, data = call("GET", f"/_cat/indices/{index}?h=index&format=json")
    one_index = urllib.parse.quote(json.loads(data)[0]["index"])

    def between(a, b):
        return {"range": {field: {"gte": a, "lt": b, "format": "epoch_millis"}}}

    def edge_count():
        start = random.randint(lo, lo + (hi - lo) // 2)
        end = min(hi, start + random.randint(7, 30) * 86_400_000)
        start_minute, end_minute = start - start % 60_000 + 60_000, end - end % 60_000
        first, last = between(start, start_minute), between(end_minute, end)
        body = {"size": 0, "track_total_hits": False,
                "query": {"bool": {"minimum_should_match": 1, "should": [first, last]}},
                "aggs": {"0": {"filter": first}, "1": {"filter": last}}}
        return call("POST", f"/{index}/_search?filter_path=_shards.failed,aggregations.*.doc_count"
                            "&pre_filter_shard_size=1&allow_partial_search_results=false", body)[0]

    def count(target):
        start = random.randint(lo, hi)
        return call("POST", f"/{target}/_count", {"query": between(start, start + 1000)})[0]

    kinds = {
        "GET _cluster/health": lambda: call("GET", "/_cluster/health")[0],
        "GET a missing _doc": lambda: call("GET", f"/{one_index}/_doc/absent-{random.randint(0, 10**12)}")[0],
        "_count, one index": lambda: count(one_index),
        "_count, the pattern": lambda: count(index),
        "the edges' count (EdgeCounts)": edge_count,
    }
    random.seed(7)
    times = {kind: [] for kind in kinds}
    for i in range(args.requests):
        order = list(kinds) if i % 2 == 0 else list(kinds)[::-1]
        for kind in order:
            time.sleep(args.pause_ms / 1000)
            times[kind].append(kinds[kind]())
    print(f"{args.requests} of each, {args.pause_ms:g} ms idle before each; ms")
    print(f"{'request':32} {'p50':>7} {'p90':>7} {'p99':>7}")
    for kind, values in times.items():
        values.sort()
        pick = lambda q: values[min(len(values) - 1, int(len(values) * q))]
        print(f"{kind:32} {pick(0.5):7.2f} {pick(0.9):7.2f} {pick(0.99):7.2f}")


if __name__ == "__main__":
    main()
