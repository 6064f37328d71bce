#!/usr/bin/env python3
"""Writes the Grafana dashboards in dashboards/ from the panel lists below: node, pods and
containers, GPU, alerts and events (a Prometheus scraping agents) and fleet (the hub's query API).

Each dashboard has a data source variable, a unique uid and the schemaVersion of current Grafana.
A panel that stays empty on nodes without some hardware says so in its description, in the form
"Needs: gpu." (gpu, sensors, cpufreq, raspberry-pi); the dashboards test runs every panel's query
against a real Prometheus scraping real agents and against the hub, and only such panels may come
back empty. Run after editing (`make dashboards`); a test fails when the committed files differ.
"""
import json, os, sys

from generated_files import write_or_check

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_VERSION = 41
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
RATE = "$__rate_interval"


def datasource_variable(label="Data source"):
    return {"name": "datasource", "label": label, "type": "datasource", "query": "prometheus", "hide": 0,
            "refresh": 1, "regex": "", "current": {}, "options": []}


def query_variable(name, label, query, multi=True):
    return {"name": name, "label": label, "type": "query", "datasource": DATASOURCE,
            "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"}, "definition": query,
            "includeAll": True, "allValue": ".*", "multi": multi, "refresh": 2, "sort": 1, "hide": 0,
            "current": {}, "options": [], "regex": ""}


def panel(title, targets, unit="short", kind="timeseries", needs=None, description="", width=12, height=8, **extra):
    """A panel: `targets` is a list of (expr, legend)."""
    text = description
    if needs:
        text = (text + " " if text else "") + f"Needs: {needs}."
    result = {
        "type": kind, "title": title, "description": text, "datasource": DATASOURCE,
        "gridPos": {"w": width, "h": height},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [{"refId": chr(ord("A") + i), "datasource": DATASOURCE, "expr": expr, "legendFormat": legend,
                     "range": True, "instant": False} for i, (expr, legend) in enumerate(targets)],
    }
    if kind == "timeseries":
        result["options"] = {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                             "tooltip": {"mode": "multi", "sort": "desc"}}
        result["fieldConfig"]["defaults"]["custom"] = {"fillOpacity": 10, "lineWidth": 1, "spanNulls": False}
    elif kind == "stat":
        result["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                             "colorMode": "value", "graphMode": "area", "textMode": "auto"}
    elif kind == "state-timeline":
        result["options"] = {"showValue": "auto", "mergeValues": True, "rowHeight": 0.9}
    result.update(extra)
    return result


def layout(panels):
    """Places panels left to right, wrapping at Grafana's 24 columns; ids in order."""
    x = y = row_height = 0
    for index, item in enumerate(panels, start=1):
        width, height = item["gridPos"]["w"], item["gridPos"]["h"]
        if x + width > 24:
            x, y, row_height = 0, y + row_height, 0
        item["gridPos"] = {"h": height, "w": width, "x": x, "y": y}
        item["id"] = index
        x += width
        row_height = max(row_height, height)
    return panels


def dashboard(uid, title, description, variables, panels, tags):
    return {
        "uid": uid, "title": title, "description": description, "tags": ["edgewatch"] + tags,
        "schemaVersion": SCHEMA_VERSION, "version": 1, "editable": True, "graphTooltip": 1,
        "time": {"from": "now-6h", "to": "now"}, "refresh": "30s", "timezone": "browser",
        "annotations": {"list": []}, "links": [],
        "templating": {"list": [datasource_variable()] + variables},
        "panels": layout(panels),
    }


I = 'instance=~"$instance"'


def node():
    panels = [
        panel("Uptime", [(f"time() - node_boot_time_seconds{{{I}}}", "{{instance}}")], "s", "stat", width=6, height=4),
        panel("CPUs", [(f'count by (instance) (node_cpu_seconds_total{{{I},mode="idle"}})', "{{instance}}")], "short", "stat", width=6, height=4),
        panel("Memory total", [(f"node_memory_MemTotal_bytes{{{I}}}", "{{instance}}")], "bytes", "stat", width=6, height=4),
        panel("Kernel", [(f"node_uname_info{{{I}}}", "{{instance}} {{release}} {{machine}}")], "short", "stat", width=6, height=4,
              description="Kernel release and architecture per node (the value is 1)."),
        panel("CPU busy", [(f'1 - avg by (instance) (rate(node_cpu_seconds_total{{mode="idle",{I}}}[{RATE}]))', "{{instance}}")], "percentunit"),
        panel("Load average", [(f"node_load1{{{I}}}", "{{instance}} 1m"), (f"node_load5{{{I}}}", "{{instance}} 5m"),
                               (f"node_load15{{{I}}}", "{{instance}} 15m")]),
        panel("Memory available", [(f"node_memory_MemAvailable_bytes{{{I}}} / node_memory_MemTotal_bytes{{{I}}}", "{{instance}}")], "percentunit"),
        panel("Filesystem free", [(f'node_filesystem_avail_bytes{{{I},fstype!~"tmpfs|ramfs"}} / node_filesystem_size_bytes{{{I},fstype!~"tmpfs|ramfs"}}',
                                   "{{instance}} {{mountpoint}}")], "percentunit"),
        panel("Disk throughput", [(f"rate(node_disk_read_bytes_total{{{I}}}[{RATE}])", "{{instance}} {{device}} read"),
                                  (f"-rate(node_disk_written_bytes_total{{{I}}}[{RATE}])", "{{instance}} {{device}} written")], "Bps"),
        panel("Network throughput", [(f'rate(node_network_receive_bytes_total{{{I},device!="lo"}}[{RATE}])', "{{instance}} {{device}} in"),
                                     (f'-rate(node_network_transmit_bytes_total{{{I},device!="lo"}}[{RATE}])', "{{instance}} {{device}} out")], "Bps"),
        panel("Pressure (PSI) waiting", [(f"rate(node_pressure_cpu_waiting_seconds_total{{{I}}}[{RATE}])", "{{instance}} cpu"),
                                         (f"rate(node_pressure_memory_waiting_seconds_total{{{I}}}[{RATE}])", "{{instance}} memory"),
                                         (f"rate(node_pressure_io_waiting_seconds_total{{{I}}}[{RATE}])", "{{instance}} io")], "percentunit"),
        panel("Temperatures", [(f"node_thermal_zone_temp{{{I}}}", "{{instance}} {{type}}"),
                               (f"node_hwmon_temp_celsius{{{I}}}", "{{instance}} {{chip}} {{sensor}}")], "celsius", needs="sensors"),
        panel("CPU frequency", [(f"avg by (instance) (node_cpu_scaling_frequency_hertz{{{I}}})", "{{instance}} average"),
                                (f"max by (instance) (node_cpu_scaling_frequency_max_hertz{{{I}}})", "{{instance}} limit")], "hertz", needs="cpufreq"),
        panel("Raspberry Pi throttling (now)", [(f'edgewatch_rpi_throttle_state{{{I},scope="now"}}', "{{instance}} {{condition}}")],
              "short", "state-timeline", needs="raspberry-pi"),
        panel("Clock synchronised / RTC present", [(f"edgewatch_clock_synchronized{{{I}}}", "{{instance}} synchronised"),
                                                   (f"edgewatch_clock_rtc_present{{{I}}}", "{{instance}} RTC")], "short", "state-timeline"),
        panel("OOM kills", [(f"increase(node_vmstat_oom_kill{{{I}}}[$__range])", "{{instance}}")], "short", "stat"),
        panel("Agent cycle duration", [(f"edgewatch_cycle_duration_seconds{{{I}}}", "{{instance}}")], "s",
              description="Time one collection cycle took."),
        panel("Agent store", [(f"edgewatch_store_used_bytes{{{I}}}", "{{instance}} used"), (f"edgewatch_store_bytes{{{I}}}", "{{instance}} file")], "bytes"),
        panel("Uplink lag", [(f"edgewatch_uplink_lag_seconds{{{I}}}", "{{instance}}")], "s",
              description="How far behind the node's newest data the hub is (with an uplink)."),
        panel("Uplink backlog", [(f"edgewatch_uplink_backlog_windows{{{I}}}", "{{instance}}")], "short"),
    ]
    variables = [query_variable("instance", "Node", "label_values(node_uname_info, instance)")]
    return dashboard("edgewatch-node", "edgewatch / Node", "Host metrics of edge nodes (node_exporter names) and the agent itself.",
                     variables, panels, ["node"])


def pods():
    selector = f'{I},namespace=~"$namespace",pod!=""'
    by = "sum by (namespace, pod)"
    panels = [
        panel("CPU by pod", [(f"{by} (rate(container_cpu_usage_seconds_total{{{selector}}}[{RATE}]))", "{{namespace}}/{{pod}}")], "short",
              description="Cores used."),
        panel("Memory working set by pod", [(f"{by} (container_memory_working_set_bytes{{{selector}}})", "{{namespace}}/{{pod}}")], "bytes"),
        panel("Memory against limit", [(f"{by} (container_memory_working_set_bytes{{{selector}}}) / {by} (container_spec_memory_limit_bytes{{{selector}}} > 0)",
                                        "{{namespace}}/{{pod}}")], "percentunit", description="Pods with a memory limit."),
        panel("CPU throttled", [(f"{by} (rate(container_cpu_cfs_throttled_periods_total{{{selector}}}[{RATE}])) / {by} (rate(container_cpu_cfs_periods_total{{{selector}}}[{RATE}]))",
                                 "{{namespace}}/{{pod}}")], "percentunit", description="Share of CFS periods throttled (pods with a CPU limit)."),
        panel("OOM kills by pod", [(f"{by} (increase(container_oom_events_total{{{selector}}}[$__range]))", "{{namespace}}/{{pod}}")], "short"),
        panel("Processes by pod", [(f"{by} (container_processes{{{selector}}})", "{{namespace}}/{{pod}}")], "short"),
        panel("Memory RSS and cache by pod", [(f"{by} (container_memory_rss{{{selector}}})", "{{namespace}}/{{pod}} rss"),
                                             (f"{by} (container_memory_cache{{{selector}}})", "{{namespace}}/{{pod}} cache")], "bytes"),
        panel("GPU memory by pod", [(f"{by} (edgewatch_container_gpu_memory_used_bytes{{{selector}}})", "{{namespace}}/{{pod}}")], "bytes", needs="gpu"),
    ]
    variables = [query_variable("instance", "Node", "label_values(node_uname_info, instance)"),
                 query_variable("namespace", "Namespace", f'label_values(container_memory_working_set_bytes{{{I},pod!=""}}, namespace)')]
    return dashboard("edgewatch-pods", "edgewatch / Pods and containers", "Pod and container metrics from the kubepods cgroups (cAdvisor names).",
                     variables, panels, ["pods"])


def gpu():
    g = f'{I},gpu=~"$gpu"'
    panels = [
        panel("GPU up", [(f"edgewatch_gpu_up{{{I}}}", "{{instance}} {{gpu}}")], "short", "state-timeline", needs="gpu",
              description="0 when the driver lost the GPU."),
        panel("Utilisation", [(f"DCGM_FI_DEV_GPU_UTIL{{{g}}}", "{{instance}} gpu {{gpu}}")], "percent", needs="gpu"),
        panel("Memory used", [(f"DCGM_FI_DEV_FB_USED{{{g}}} / (DCGM_FI_DEV_FB_USED{{{g}}} + DCGM_FI_DEV_FB_FREE{{{g}}})", "{{instance}} gpu {{gpu}}")],
              "percentunit", needs="gpu"),
        panel("Temperature", [(f"DCGM_FI_DEV_GPU_TEMP{{{g}}}", "{{instance}} gpu {{gpu}}")], "celsius", needs="gpu"),
        panel("Power", [(f"DCGM_FI_DEV_POWER_USAGE{{{g}}}", "{{instance}} gpu {{gpu}}")], "watt", needs="gpu"),
        panel("Clocks", [(f"DCGM_FI_DEV_SM_CLOCK{{{g}}}", "{{instance}} gpu {{gpu}} SM"), (f"DCGM_FI_DEV_MEM_CLOCK{{{g}}}", "{{instance}} gpu {{gpu}} memory")],
              "MHz", needs="gpu"),
        panel("Memory copy utilisation", [(f"DCGM_FI_DEV_MEM_COPY_UTIL{{{g}}}", "{{instance}} gpu {{gpu}}")], "percent", needs="gpu"),
        panel("Throttle reasons", [(f"DCGM_FI_DEV_CLOCK_THROTTLE_REASONS{{{g}}}", "{{instance}} gpu {{gpu}}")], "short", needs="gpu",
              description="NVML clocks-event reason bits (NVIDIA only)."),
        panel("XID errors", [(f"increase(edgewatch_gpu_xid_errors_total{{{I}}}[$__range])", "{{instance}} gpu {{gpu}} xid {{xid}}")], "short", "stat",
              needs="gpu", description="NVIDIA only."),
        panel("Jetson rails power", [(f"edgewatch_jetson_rail_power_watts{{{I}}}", "{{instance}} {{rail}}")], "watt", needs="gpu",
              description="Jetson boards only."),
        panel("Jetson temperatures", [(f"edgewatch_jetson_temperature_celsius{{{I}}}", "{{instance}} {{sensor}}")], "celsius", needs="gpu",
              description="Jetson boards only."),
    ]
    variables = [query_variable("instance", "Node", "label_values(node_uname_info, instance)"),
                 query_variable("gpu", "GPU", f"label_values(DCGM_FI_DEV_GPU_UTIL{{{I}}}, gpu)")]
    return dashboard("edgewatch-gpu", "edgewatch / GPUs", "NVIDIA (NVML), Jetson and AMD GPUs under dcgm-exporter names.",
                     variables, panels, ["gpu"])


def alerts_events():
    panels = [
        panel("Alerts by state", [(f"sum by (state) (edgewatch_alerts{{{I}}})", "{{state}}")], "short", "stat", width=8, height=5),
        panel("Rules failing", [(f"sum by (instance) (edgewatch_rule_group_failing_rules{{{I}}})", "{{instance}}")], "short", "stat", width=8, height=5),
        panel("Rules evaluated", [(f"sum by (instance) (edgewatch_rule_group_rules{{{I}}})", "{{instance}}")], "short", "stat", width=8, height=5),
        panel("Alerts over time", [(f"edgewatch_alerts{{{I}}}", "{{instance}} {{state}}")], "short"),
        panel("Rule evaluation time", [(f"rate(edgewatch_rule_evaluation_seconds_total{{{I}}}[{RATE}])", "{{instance}}")], "percentunit",
              description="Share of one core spent evaluating rules."),
        panel("Events by reason", [(f"sum by (source, type, reason) (increase(edgewatch_events_total{{{I}}}[$__range]))", "{{source}} {{type}} {{reason}}")],
              "short", "bargauge"),
        panel("Warning events rate", [(f'sum by (instance, source) (rate(edgewatch_events_total{{{I},type="Warning"}}[{RATE}]))', "{{instance}} {{source}}")],
              "short"),
        panel("Alertmanager deliveries", [(f"rate(edgewatch_notifications_sent_total{{{I}}}[{RATE}])", "{{instance}} sent"),
                                          (f"rate(edgewatch_notifications_errors_total{{{I}}}[{RATE}])", "{{instance}} errors")], "short"),
        panel("Kubernetes watch", [(f"edgewatch_kubernetes_watch_up{{{I}}}", "{{instance}}")], "short", "state-timeline",
              description="1 while the event and pod watches are connected."),
        panel("Store gaps and flush failures", [(f"increase(edgewatch_store_gaps_total{{{I}}}[$__range])", "{{instance}} gaps"),
                                                (f"increase(edgewatch_store_flush_failures_total{{{I}}}[$__range])", "{{instance}} flush failures")], "short"),
    ]
    variables = [query_variable("instance", "Node", "label_values(node_uname_info, instance)")]
    return dashboard("edgewatch-alerts-events", "edgewatch / Alerts and events", "Alerts evaluated on the devices, node and Kubernetes events.",
                     variables, panels, ["alerts", "events"])


def fleet():
    n = 'node=~"$node"'
    panels = [
        panel("Nodes reporting", [("count(count by (node) (node_uname_info))", "nodes")], "short", "stat", width=6, height=5),
        panel("Alerts firing", [('count(ALERTS{alertstate="firing"}) or vector(0)', "firing")], "short", "stat", width=6, height=5),
        panel("Oldest data (seconds behind)", [(f"max(time() - timestamp(node_time_seconds{{{n}}}))", "worst node")], "s", "stat", width=6, height=5,
                  description="How old the newest sample of the most silent node is."),
        panel("Pods", [(f'count(count by (node, namespace, pod) (container_memory_working_set_bytes{{{n},pod!=""}}))', "pods")], "short", "stat",
              width=6, height=5),
        panel("CPU busy by node", [(f'1 - avg by (node) (rate(node_cpu_seconds_total{{mode="idle",{n}}}[{RATE}]))', "{{node}}")], "percentunit"),
        panel("Memory available by node", [(f"node_memory_MemAvailable_bytes{{{n}}} / node_memory_MemTotal_bytes{{{n}}}", "{{node}}")], "percentunit"),
        panel("Fullest filesystem by node", [(f'max by (node) (1 - node_filesystem_avail_bytes{{{n},fstype!~"tmpfs|ramfs"}} / node_filesystem_size_bytes{{{n},fstype!~"tmpfs|ramfs"}})',
                                              "{{node}}")], "percentunit"),
        panel("Data age by node", [(f"time() - timestamp(node_time_seconds{{{n}}})", "{{node}}")], "s",
              description="Seconds since each node's newest sample reached the hub: fresh, late or silent."),
        panel("Firing alerts by node", [(f'count by (node, alertname) (ALERTS{{alertstate="firing",{n}}})', "{{node}} {{alertname}}")], "short",
              description="Alerts the nodes evaluated, forwarded with their data."),
        panel("Clock synchronised by node", [(f"edgewatch_clock_synchronized{{{n}}}", "{{node}}")], "short", "state-timeline"),
        panel("Hottest sensor by node", [(f"max by (node) (node_thermal_zone_temp{{{n}}})", "{{node}}")], "celsius", needs="sensors"),
        panel("OOM kills by node", [(f"sum by (node) (increase(node_vmstat_oom_kill{{{n}}}[$__range]))", "{{node}}")], "short"),
    ]
    variables = [query_variable("node", "Node", "label_values(node_uname_info, node)")]
    return dashboard("edgewatch-fleet", "edgewatch / Fleet", "Every node that sends to an edgewatch hub; the data source is the hub's Prometheus API.",
                     variables, panels, ["fleet"])


DASHBOARDS = {"edgewatch-node.json": node, "edgewatch-pods.json": pods, "edgewatch-gpu.json": gpu,
              "edgewatch-alerts-events.json": alerts_events, "edgewatch-fleet.json": fleet}


def main():
    files = {os.path.join(ROOT, "dashboards", name): json.dumps(make(), indent=2) + "\n" for name, make in DASHBOARDS.items()}
    write_or_check(files, "--check" in sys.argv[1:], "make dashboards")

if __name__ == "__main__":
    main()
