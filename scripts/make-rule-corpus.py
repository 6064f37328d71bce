#!/usr/bin/env python3
"""Writes the rule unit-test corpus under Tests/EdgewatchRulesTests/Fixtures/corpus.

Each test file holds exactly one test group, so a file's verdict is the group's verdict. Files
named pass-*.test.yml must pass and fail-*.test.yml must fail, under both promtool and edgewatch.
"""
import os
import textwrap

ROOT = os.path.join(os.path.dirname(__file__), "..", "Tests", "EdgewatchRulesTests", "Fixtures", "corpus")

RULES = {
    "node.rules.yml": """
groups:
  - name: node
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels:
          severity: page
        annotations:
          summary: "Instance {{ $labels.instance }} down"
          description: "{{ $labels.instance }} of job {{ $labels.job }} has been down for 5 minutes (value {{ $value }})."
      - alert: HighTemperature
        expr: node_hwmon_temp_celsius > 80
        for: 2m
        keep_firing_for: 3m
        labels:
          severity: warning
          zone: "{{ $labels.sensor }}"
        annotations:
          summary: "{{ $labels.instance }} at {{ $value | humanize }} degrees"
      - record: instance:node_cpu_busy:rate2m
        expr: 1 - avg without (cpu, mode) (rate(node_cpu_seconds_total{mode="idle"}[2m]))
      - alert: CPUBusy
        expr: instance:node_cpu_busy:rate2m > 0.9
        annotations:
          summary: "CPU {{ $value | humanizePercentage }} busy"
      - alert: DiskFillingUp
        expr: predict_linear(node_filesystem_avail_bytes{fstype!="tmpfs"}[10m], 3600) < 0 and node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.4
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: '{{ $labels.mountpoint }} on {{ $labels.instance }} fills up within an hour ({{ printf "%.1f" $value }} bytes predicted)'
      - alert: OOMKill
        expr: increase(node_vmstat_oom_kill[5m]) > 0
        annotations:
          summary: "{{ $value }} OOM kills in 5m"
      - alert: NodeRebooted
        expr: changes(node_boot_time_seconds[10m]) > 0
        annotations:
          summary: "{{ $labels.instance }} rebooted"
      - alert: ClockNotSynchronised
        expr: min_over_time(node_timex_sync_status[5m]) == 0 and node_timex_maxerror_seconds >= 16
        for: 2m
        annotations:
          summary: "clock on {{ $labels.instance }} not synchronised for {{ 300 | humanizeDuration }}"
      - alert: NodeExporterAbsent
        expr: absent(up{job="node"})
        for: 1m
        labels:
          severity: warning
""",
    "pods.rules.yml": """
groups:
  - name: pods
    rules:
      - record: pod:container_cpu_cfs_throttled:ratio5m
        expr: sum by (namespace, pod) (increase(container_cpu_cfs_throttled_periods_total[5m])) / sum by (namespace, pod) (increase(container_cpu_cfs_periods_total[5m]))
      - alert: PodCPUThrottled
        expr: pod:container_cpu_cfs_throttled:ratio5m > 0.25
        for: 2m
        labels:
          team: '{{ reReplaceAll "^team-(.*)$" "$1" $labels.namespace }}'
        annotations:
          summary: "{{ $labels.namespace }}/{{ $labels.pod }} throttled {{ humanizePercentage $value }}"
      - alert: PodMemoryNearLimit
        expr: container_memory_working_set_bytes / on(namespace, pod, container) container_spec_memory_limit_bytes > 0.9
        annotations:
          summary: "{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its limit"
          size: "{{ if gt $value 0.95 }}critical{{ else }}high{{ end }}"
""",
    "chain.rules.yml": """
groups:
  - name: second
    rules:
      - record: job:requests:rate2m_doubled
        expr: job:requests:rate2m * 2
  - name: first
    rules:
      - record: job:requests:rate2m
        expr: sum by (job) (rate(requests_total[2m]))
""",
    "templates.rules.yml": """
groups:
  - name: templates
    rules:
      - alert: TemplateShowcase
        expr: gauge_value > 0
        labels:
          upper: "{{ toUpper $labels.job }}"
          site: "{{ $externalLabels.site }}"
        annotations:
          humanized: "{{ humanize $value }}"
          binary: "{{ humanize1024 $value }}"
          duration: "{{ $value | humanizeDuration }}"
          percent: "{{ humanizePercentage 0.1234 }}"
          formatted: '{{ printf "%.3f|%5.1f|%s|%d" $value $value $labels.job 42 }}'
          trimmed: "a   {{- $labels.job -}}   b"
          link: "{{ $externalURL }}/alerts"
          stripped: "{{ stripPort $labels.instance }}"
          title: "{{ title $labels.job }}"
          matched: '{{ if match "^web.*" $labels.job }}web{{ else }}other{{ end }}'
""",
    "hist.rules.yml": """
groups:
  - name: latency
    rules:
      - record: job:latency_seconds:p90
        expr: histogram_quantile(0.9, sum by (job, le) (rate(latency_seconds_bucket[5m])))
      - alert: SlowRequests
        expr: job:latency_seconds:p90 > 0.4
        annotations:
          summary: "p90 {{ $value }}s"
""",
    "broken.rules.yml": """
groups:
  - name: broken
    rules:
      - alert: Broken
        expr: rate(up[5m)
""",
    "manytomany.rules.yml": """
groups:
  - name: manytomany
    rules:
      - record: bad:ratio
        expr: a_metric / on(job) b_metric
""",
    "gpu.rules.yml": """
groups:
  - name: gpu
    rules:
      - alert: GPUHot
        expr: DCGM_FI_DEV_GPU_TEMP > 85
        for: 1m
        labels:
          severity: warning
        annotations:
          summary: "GPU {{ $labels.gpu }} ({{ $labels.modelName }}) at {{ $value }}C"
      - alert: GPULost
        expr: edgewatch_gpu_up == 0
        annotations:
          summary: "GPU {{ $labels.gpu }} lost"
      - alert: GPUXidErrors
        expr: increase(edgewatch_gpu_xid_errors_total[10m]) > 0
        labels:
          severity: critical
        annotations:
          summary: "XID {{ $labels.xid }} on GPU {{ $labels.gpu }}"
""",
}

# (file name, rule files, group yaml). File names start with pass- or fail-.
CASES = []


def case(name, rules, body, interval="1m", extra=""):
    CASES.append((name, rules, body, interval, extra))


# --- node.rules.yml ---------------------------------------------------------------------------
UP = """
      - series: 'up{job="node", instance="pi-1:9100"}'
        values: '0x15'
      - series: 'up{job="node", instance="pi-2:9100"}'
        values: '1x15'
"""
case("pass-instance-down-fires", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 10m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "pi-1:9100", job: node}
            exp_annotations:
              summary: "Instance pi-1:9100 down"
              description: "pi-1:9100 of job node has been down for 5 minutes (value 0)."
""")
case("pass-instance-down-pending-is-not-firing", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 4m
        alertname: InstanceDown
""")
case("pass-instance-down-fires-exactly-at-for", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 5m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "pi-1:9100", job: node}
            exp_annotations:
              summary: "Instance pi-1:9100 down"
              description: "pi-1:9100 of job node has been down for 5 minutes (value 0)."
""")
case("fail-instance-down-expected-while-pending", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 4m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "pi-1:9100", job: node}
""")
case("pass-instance-down-resolves", ["node.rules.yml"], """
    input_series:
      - series: 'up{job="node", instance="pi-1:9100"}'
        values: '0 0 0 0 0 0 0 1 1 1 1 1'
    alert_rule_test:
      - eval_time: 6m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "pi-1:9100", job: node}
            exp_annotations:
              summary: "Instance pi-1:9100 down"
              description: "pi-1:9100 of job node has been down for 5 minutes (value 0)."
      - eval_time: 8m
        alertname: InstanceDown
""")
case("fail-instance-down-wrong-annotation", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 10m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "pi-1:9100", job: node}
            exp_annotations:
              summary: "Instance pi-1:9100 is down"
              description: "pi-1:9100 of job node has been down for 5 minutes (value 0)."
""")
case("fail-instance-down-missing-label", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 10m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {instance: "pi-1:9100", job: node}
            exp_annotations:
              summary: "Instance pi-1:9100 down"
              description: "pi-1:9100 of job node has been down for 5 minutes (value 0)."
""")
case("fail-instance-down-unexpected-alert", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 12m
        alertname: InstanceDown
""")
case("pass-instance-down-two-instances", ["node.rules.yml"], """
    input_series:
      - series: 'up{job="node", instance="a:9100"}'
        values: '0x10'
      - series: 'up{job="node", instance="b:9100"}'
        values: '1 1 0x8'
    alert_rule_test:
      - eval_time: 8m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "b:9100", job: node}
            exp_annotations:
              summary: "Instance b:9100 down"
              description: "b:9100 of job node has been down for 5 minutes (value 0)."
          - exp_labels: {severity: page, instance: "a:9100", job: node}
            exp_annotations:
              summary: "Instance a:9100 down"
              description: "a:9100 of job node has been down for 5 minutes (value 0)."
""")
case("pass-stale-series-resolves-alert", ["node.rules.yml"], """
    input_series:
      - series: 'up{job="node", instance="pi-1:9100"}'
        values: '0x6 stale'
    alert_rule_test:
      - eval_time: 6m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "pi-1:9100", job: node}
            exp_annotations:
              summary: "Instance pi-1:9100 down"
              description: "pi-1:9100 of job node has been down for 5 minutes (value 0)."
      - eval_time: 7m
        alertname: InstanceDown
""")
case("fail-stale-sample-expected-visible", ["node.rules.yml"], """
    input_series:
      - series: 'up{job="node", instance="pi-1:9100"}'
        values: '0x3 stale'
    promql_expr_test:
      - expr: up
        eval_time: 4m
        exp_samples:
          - labels: 'up{job="node", instance="pi-1:9100"}'
            value: 0
""")
case("pass-missing-samples-use-lookback", ["node.rules.yml"], """
    input_series:
      - series: 'up{job="node", instance="pi-1:9100"}'
        values: '0 _x4 0 _x3'
    promql_expr_test:
      - expr: up
        eval_time: 4m
        exp_samples:
          - labels: 'up{job="node", instance="pi-1:9100"}'
            value: 0
      - expr: up
        eval_time: 9m
        exp_samples:
          - labels: 'up{job="node", instance="pi-1:9100"}'
            value: 0
      - expr: up
        eval_time: 10m31s
""")
case("pass-alerts-series", ["node.rules.yml"], """
    input_series:""" + UP + """
    promql_expr_test:
      - expr: ALERTS{alertname="InstanceDown"}
        eval_time: 3m
        exp_samples:
          - labels: 'ALERTS{alertname="InstanceDown", alertstate="pending", instance="pi-1:9100", job="node", severity="page"}'
            value: 1
      - expr: ALERTS{alertname="InstanceDown"}
        eval_time: 7m
        exp_samples:
          - labels: 'ALERTS{alertname="InstanceDown", alertstate="firing", instance="pi-1:9100", job="node", severity="page"}'
            value: 1
      - expr: ALERTS_FOR_STATE{alertname="InstanceDown"}
        eval_time: 7m
        exp_samples:
          - labels: 'ALERTS_FOR_STATE{alertname="InstanceDown", instance="pi-1:9100", job="node", severity="page"}'
            value: 0
""")
case("fail-alerts-series-wrong-state", ["node.rules.yml"], """
    input_series:""" + UP + """
    promql_expr_test:
      - expr: ALERTS{alertname="InstanceDown"}
        eval_time: 3m
        exp_samples:
          - labels: 'ALERTS{alertname="InstanceDown", alertstate="firing", instance="pi-1:9100", job="node", severity="page"}'
            value: 1
""")
TEMP = """
      - series: 'node_hwmon_temp_celsius{instance="jetson", chip="thermal", sensor="cpu"}'
        values: '70 82 85 88 90 75 74 73 72 71 70 70 70 70'
"""
case("pass-temperature-keeps-firing", ["node.rules.yml"], """
    input_series:""" + TEMP + """
    alert_rule_test:
      - eval_time: 3m
        alertname: HighTemperature
        exp_alerts:
          - exp_labels: {severity: warning, zone: cpu, instance: jetson, chip: thermal, sensor: cpu}
            exp_annotations:
              summary: "jetson at 88 degrees"
      - eval_time: 7m
        alertname: HighTemperature
        exp_alerts:
          - exp_labels: {severity: warning, zone: cpu, instance: jetson, chip: thermal, sensor: cpu}
            exp_annotations:
              summary: "jetson at 90 degrees"
      - eval_time: 8m
        alertname: HighTemperature
""")
case("fail-temperature-keep-firing-ends-early", ["node.rules.yml"], """
    input_series:""" + TEMP + """
    alert_rule_test:
      - eval_time: 6m
        alertname: HighTemperature
""")
case("pass-cpu-recording-rule", ["node.rules.yml"], """
    input_series:
      - series: 'node_cpu_seconds_total{instance="pi", cpu="0", mode="idle"}'
        values: '0+30x10'
      - series: 'node_cpu_seconds_total{instance="pi", cpu="1", mode="idle"}'
        values: '0+60x10'
    promql_expr_test:
      - expr: instance:node_cpu_busy:rate2m
        eval_time: 5m
        exp_samples:
          - labels: 'instance:node_cpu_busy:rate2m{instance="pi"}'
            value: 0.25
""")
case("pass-cpu-busy-alert", ["node.rules.yml"], """
    input_series:
      - series: 'node_cpu_seconds_total{instance="pi", cpu="0", mode="idle"}'
        values: '0+3x10'
      - series: 'node_cpu_seconds_total{instance="pi", cpu="1", mode="idle"}'
        values: '0+3x10'
    alert_rule_test:
      - eval_time: 5m
        alertname: CPUBusy
        exp_alerts:
          - exp_labels: {instance: pi}
            exp_annotations:
              summary: "CPU 95% busy"
""")
case("fail-cpu-recording-wrong-value", ["node.rules.yml"], """
    input_series:
      - series: 'node_cpu_seconds_total{instance="pi", cpu="0", mode="idle"}'
        values: '0+30x10'
    promql_expr_test:
      - expr: instance:node_cpu_busy:rate2m
        eval_time: 5m
        exp_samples:
          - labels: 'instance:node_cpu_busy:rate2m{instance="pi"}'
            value: 0.25
""")
DISK = """
      - series: 'node_filesystem_avail_bytes{instance="pi", mountpoint="/", fstype="ext4"}'
        values: '1000000-20000x30'
      - series: 'node_filesystem_size_bytes{instance="pi", mountpoint="/", fstype="ext4"}'
        values: '2000000x30'
      - series: 'node_filesystem_avail_bytes{instance="pi", mountpoint="/run", fstype="tmpfs"}'
        values: '100-3x30'
      - series: 'node_filesystem_size_bytes{instance="pi", mountpoint="/run", fstype="tmpfs"}'
        values: '1000x30'
"""
case("pass-disk-filling-up", ["node.rules.yml"], """
    input_series:""" + DISK + """
    alert_rule_test:
      - eval_time: 12m
        alertname: DiskFillingUp
        exp_alerts:
          - exp_labels: {severity: critical, instance: pi, mountpoint: /, fstype: ext4}
            exp_annotations:
              summary: "/ on pi fills up within an hour (-440000.0 bytes predicted)"
""")
case("fail-disk-filling-tmpfs-expected", ["node.rules.yml"], """
    input_series:""" + DISK + """
    alert_rule_test:
      - eval_time: 12m
        alertname: DiskFillingUp
        exp_alerts:
          - exp_labels: {severity: critical, instance: pi, mountpoint: /, fstype: ext4}
            exp_annotations:
              summary: "/ on pi fills up within an hour (-440000.0 bytes predicted)"
          - exp_labels: {severity: critical, instance: pi, mountpoint: /run, fstype: tmpfs}
""")
case("pass-oom-kill-counter", ["node.rules.yml"], """
    input_series:
      - series: 'node_vmstat_oom_kill{instance="pi"}'
        values: '0 0 0 1 1 1 1 1 1 1 1 1 1'
    alert_rule_test:
      - eval_time: 4m
        alertname: OOMKill
        exp_alerts:
          - exp_labels: {instance: pi}
            exp_annotations:
              summary: "1 OOM kills in 5m"
      - eval_time: 12m
        alertname: OOMKill
""")
case("pass-node-rebooted", ["node.rules.yml"], """
    input_series:
      - series: 'node_boot_time_seconds{instance="pi"}'
        values: '1000 1000 1000 1300 1300 1300'
    alert_rule_test:
      - eval_time: 5m
        alertname: NodeRebooted
        exp_alerts:
          - exp_labels: {instance: pi}
            exp_annotations:
              summary: "pi rebooted"
""")
case("pass-clock-not-synchronised", ["node.rules.yml"], """
    input_series:
      - series: 'node_timex_sync_status{instance="pi"}'
        values: '1 1 0 0 0 0 0 0 0 0'
      - series: 'node_timex_maxerror_seconds{instance="pi"}'
        values: '0.5 0.5 16 16 16 16 16 16 16 16'
    alert_rule_test:
      - eval_time: 3m
        alertname: ClockNotSynchronised
      - eval_time: 5m
        alertname: ClockNotSynchronised
        exp_alerts:
          - exp_labels: {instance: pi}
            exp_annotations:
              summary: "clock on pi not synchronised for 5m 0s"
""")
case("pass-absent-exporter", ["node.rules.yml"], """
    input_series:
      - series: 'up{job="other", instance="x"}'
        values: '1x5'
    alert_rule_test:
      - eval_time: 2m
        alertname: NodeExporterAbsent
        exp_alerts:
          - exp_labels: {severity: warning, job: node}
""")
case("fail-absent-exporter-present", ["node.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 2m
        alertname: NodeExporterAbsent
        exp_alerts:
          - exp_labels: {severity: warning, job: node}
""")

# --- pods.rules.yml ---------------------------------------------------------------------------
PODS = """
      - series: 'container_cpu_cfs_periods_total{namespace="team-vision", pod="detector-0", container="infer"}'
        values: '0+100x20'
      - series: 'container_cpu_cfs_throttled_periods_total{namespace="team-vision", pod="detector-0", container="infer"}'
        values: '0+50x20'
      - series: 'container_cpu_cfs_periods_total{namespace="kube-system", pod="coredns-1", container="coredns"}'
        values: '0+100x20'
      - series: 'container_cpu_cfs_throttled_periods_total{namespace="kube-system", pod="coredns-1", container="coredns"}'
        values: '0+1x20'
"""
case("pass-pod-throttled", ["pods.rules.yml"], """
    input_series:""" + PODS + """
    alert_rule_test:
      - eval_time: 10m
        alertname: PodCPUThrottled
        exp_alerts:
          - exp_labels: {team: vision, namespace: team-vision, pod: detector-0}
            exp_annotations:
              summary: "team-vision/detector-0 throttled 50%"
    promql_expr_test:
      - expr: pod:container_cpu_cfs_throttled:ratio5m
        eval_time: 10m
        exp_samples:
          - labels: 'pod:container_cpu_cfs_throttled:ratio5m{namespace="team-vision", pod="detector-0"}'
            value: 0.5
          - labels: 'pod:container_cpu_cfs_throttled:ratio5m{namespace="kube-system", pod="coredns-1"}'
            value: 0.01
""")
case("fail-pod-throttled-wrong-team", ["pods.rules.yml"], """
    input_series:""" + PODS + """
    alert_rule_test:
      - eval_time: 10m
        alertname: PodCPUThrottled
        exp_alerts:
          - exp_labels: {team: team-vision, namespace: team-vision, pod: detector-0}
            exp_annotations:
              summary: "team-vision/detector-0 throttled 50%"
""")
MEM = """
      - series: 'container_memory_working_set_bytes{namespace="default", pod="web-1", container="app"}'
        values: '900+10x10'
      - series: 'container_spec_memory_limit_bytes{namespace="default", pod="web-1", container="app"}'
        values: '1000x10'
"""
case("pass-pod-memory-near-limit", ["pods.rules.yml"], """
    input_series:""" + MEM + """
    alert_rule_test:
      - eval_time: 3m
        alertname: PodMemoryNearLimit
        exp_alerts:
          - exp_labels: {namespace: default, pod: web-1, container: app}
            exp_annotations:
              summary: "web-1 uses 93% of its limit"
              size: high
      - eval_time: 8m
        alertname: PodMemoryNearLimit
        exp_alerts:
          - exp_labels: {namespace: default, pod: web-1, container: app}
            exp_annotations:
              summary: "web-1 uses 98% of its limit"
              size: critical
""")
case("fail-pod-memory-size-annotation", ["pods.rules.yml"], """
    input_series:""" + MEM + """
    alert_rule_test:
      - eval_time: 3m
        alertname: PodMemoryNearLimit
        exp_alerts:
          - exp_labels: {namespace: default, pod: web-1, container: app}
            exp_annotations:
              summary: "web-1 uses 93% of its limit"
              size: critical
""")

# --- chain.rules.yml (group order) ------------------------------------------------------------
REQ = """
      - series: 'requests_total{job="api", instance="a"}'
        values: '0+60x10'
"""
case("pass-group-eval-order", ["chain.rules.yml"], """
    input_series:""" + REQ + """
    promql_expr_test:
      - expr: job:requests:rate2m_doubled
        eval_time: 5m
        exp_samples:
          - labels: 'job:requests:rate2m_doubled{job="api"}'
            value: 2
""", extra="group_eval_order: [first, second]\n")
case("pass-group-file-order-lags", ["chain.rules.yml"], """
    input_series:""" + REQ + """
    promql_expr_test:
      - expr: job:requests:rate2m_doubled
        eval_time: 0m
""")
case("fail-group-eval-order-repeated-group", ["chain.rules.yml"], """
    input_series:""" + REQ + """
    promql_expr_test:
      - expr: job:requests:rate2m
        eval_time: 5m
        exp_samples:
          - labels: 'job:requests:rate2m{job="api"}'
            value: 1
""", extra="group_eval_order: [first, second, first]\n")

# --- templates.rules.yml ----------------------------------------------------------------------
GAUGE = """
      - series: 'gauge_value{job="web-frontend", instance="10.0.0.7:8080"}'
        values: '1536000 0.00042 93784'
"""
case("pass-template-functions", ["templates.rules.yml"], """
    external_labels:
      site: factory-3
    external_url: http://hub.example:9090
    input_series:""" + GAUGE + """
    alert_rule_test:
      - eval_time: 0m
        alertname: TemplateShowcase
        exp_alerts:
          - exp_labels: {job: web-frontend, instance: "10.0.0.7:8080", upper: WEB-FRONTEND, site: factory-3}
            exp_annotations:
              humanized: 1.536M
              binary: 1.465Mi
              duration: 17d 18h 40m 0s
              percent: 12.34%
              formatted: "1536000.000|1536000.0|web-frontend|42"
              trimmed: aweb-frontendb
              link: http://hub.example:9090/alerts
              stripped: 10.0.0.7
              title: Web-Frontend
              matched: web
      - eval_time: 1m
        alertname: TemplateShowcase
        exp_alerts:
          - exp_labels: {job: web-frontend, instance: "10.0.0.7:8080", upper: WEB-FRONTEND, site: factory-3}
            exp_annotations:
              humanized: 420u
              binary: "0.00042"
              duration: 420us
              percent: 12.34%
              formatted: "0.000|  0.0|web-frontend|42"
              trimmed: aweb-frontendb
              link: http://hub.example:9090/alerts
              stripped: 10.0.0.7
              title: Web-Frontend
              matched: web
      - eval_time: 2m
        alertname: TemplateShowcase
        exp_alerts:
          - exp_labels: {job: web-frontend, instance: "10.0.0.7:8080", upper: WEB-FRONTEND, site: factory-3}
            exp_annotations:
              humanized: 93.78k
              binary: 91.59ki
              duration: 1d 2h 3m 4s
              percent: 12.34%
              formatted: "93784.000|93784.0|web-frontend|42"
              trimmed: aweb-frontendb
              link: http://hub.example:9090/alerts
              stripped: 10.0.0.7
              title: Web-Frontend
              matched: web
""")
case("fail-template-humanize-rounding", ["templates.rules.yml"], """
    external_labels:
      site: factory-3
    input_series:""" + GAUGE + """
    alert_rule_test:
      - eval_time: 0m
        alertname: TemplateShowcase
        exp_alerts:
          - exp_labels: {job: web-frontend, instance: "10.0.0.7:8080", upper: WEB-FRONTEND, site: factory-3}
            exp_annotations:
              humanized: 1.54M
              binary: 1.465Mi
              duration: 17d 18h 40m 0s
              percent: 12.34%
              formatted: "1536000.000|1536000.0|web-frontend|42"
              trimmed: aweb-frontendb
              link: /alerts
              stripped: 10.0.0.7
              title: Web-Frontend
              matched: web
""")

# --- hist.rules.yml ---------------------------------------------------------------------------
HIST = """
      - series: 'latency_seconds_bucket{job="api", instance="a", le="0.1"}'
        values: '0+2x20'
      - series: 'latency_seconds_bucket{job="api", instance="a", le="0.5"}'
        values: '0+6x20'
      - series: 'latency_seconds_bucket{job="api", instance="a", le="1"}'
        values: '0+9x20'
      - series: 'latency_seconds_bucket{job="api", instance="a", le="+Inf"}'
        values: '0+10x20'
"""
case("pass-histogram-quantile-recording", ["hist.rules.yml"], """
    input_series:""" + HIST + """
    promql_expr_test:
      - expr: job:latency_seconds:p90
        eval_time: 10m
        exp_samples:
          - labels: 'job:latency_seconds:p90{job="api"}'
            value: 1
    alert_rule_test:
      - eval_time: 10m
        alertname: SlowRequests
        exp_alerts:
          - exp_labels: {job: api}
            exp_annotations:
              summary: "p90 1s"
""")
case("fail-histogram-quantile-wrong", ["hist.rules.yml"], """
    input_series:""" + HIST + """
    promql_expr_test:
      - expr: job:latency_seconds:p90
        eval_time: 10m
        exp_samples:
          - labels: 'job:latency_seconds:p90{job="api"}'
            value: 0.9
""")

# --- error cases --------------------------------------------------------------------------------
case("fail-rule-file-does-not-parse", ["broken.rules.yml"], """
    input_series:""" + UP + """
    alert_rule_test:
      - eval_time: 1m
        alertname: Broken
""")
case("fail-many-to-many-rule-error", ["manytomany.rules.yml"], """
    input_series:
      - series: 'a_metric{job="x", instance="1"}'
        values: '1x3'
      - series: 'b_metric{job="x", instance="1"}'
        values: '1x3'
      - series: 'b_metric{job="x", instance="2"}'
        values: '1x3'
    promql_expr_test:
      - expr: vector(1)
        eval_time: 1m
        exp_samples:
          - labels: '{}'
            value: 1
""")
case("fail-expression-does-not-parse", ["node.rules.yml"], """
    input_series:""" + UP + """
    promql_expr_test:
      - expr: sum(up
        eval_time: 1m
""")

# --- expressions without rules ----------------------------------------------------------------
COUNTER = """
      - series: 'http_requests_total{job="api", instance="a"}'
        values: '0+10x5 3+10x5'
      - series: 'http_requests_total{job="api", instance="b"}'
        values: '0+5x10'
"""
case("pass-rate-with-counter-reset", ["node.rules.yml"], """
    input_series:""" + COUNTER + """
    promql_expr_test:
      - expr: increase(http_requests_total{instance="a"}[5m])
        eval_time: 8m
        exp_samples:
          - labels: '{job="api", instance="a"}'
            value: 43
      - expr: resets(http_requests_total[10m])
        eval_time: 10m
        exp_samples:
          - labels: '{job="api", instance="a"}'
            value: 1
          - labels: '{job="api", instance="b"}'
            value: 0
""", interval="1m")
case("fail-rate-ignoring-reset", ["node.rules.yml"], """
    input_series:""" + COUNTER + """
    promql_expr_test:
      - expr: increase(http_requests_total{instance="a"}[5m])
        eval_time: 8m
        exp_samples:
          - labels: '{job="api", instance="a"}'
            value: 30
""")
case("pass-topk-and-offset", ["node.rules.yml"], """
    input_series:""" + COUNTER + """
    promql_expr_test:
      - expr: topk(1, http_requests_total)
        eval_time: 4m
        exp_samples:
          - labels: 'http_requests_total{job="api", instance="a"}'
            value: 40
      - expr: http_requests_total offset 2m
        eval_time: 4m
        exp_samples:
          - labels: 'http_requests_total{job="api", instance="a"}'
            value: 20
          - labels: 'http_requests_total{job="api", instance="b"}'
            value: 10
""")
case("fail-extra-expected-sample", ["node.rules.yml"], """
    input_series:""" + COUNTER + """
    promql_expr_test:
      - expr: topk(1, http_requests_total)
        eval_time: 4m
        exp_samples:
          - labels: 'http_requests_total{job="api", instance="a"}'
            value: 40
          - labels: 'http_requests_total{job="api", instance="b"}'
            value: 20
""")
case("pass-label-replace-and-join", ["node.rules.yml"], """
    input_series:""" + UP + """
    promql_expr_test:
      - expr: label_replace(up{instance="pi-1:9100"}, "host", "$1", "instance", "(.*):\\\\d+")
        eval_time: 1m
        exp_samples:
          - labels: 'up{job="node", instance="pi-1:9100", host="pi-1"}'
            value: 0
      - expr: label_join(up{instance="pi-2:9100"}, "id", "@", "job", "instance")
        eval_time: 1m
        exp_samples:
          - labels: 'up{job="node", instance="pi-2:9100", id="node@pi-2:9100"}'
            value: 1
""")
case("pass-vector-matching-group-left", ["node.rules.yml"], """
    input_series:
      - series: 'node_uname_info{instance="pi", nodename="edge-7", release="6.1.0"}'
        values: '1x5'
      - series: 'node_load1{instance="pi"}'
        values: '0.5 1 1.5 2 2.5 3'
    promql_expr_test:
      - expr: node_load1 * on(instance) group_left(nodename) node_uname_info
        eval_time: 3m
        exp_samples:
          - labels: '{instance="pi", nodename="edge-7"}'
            value: 2
      - expr: node_load1 > bool 1
        eval_time: 1m
        exp_samples:
          - labels: '{instance="pi"}'
            value: 0
""")
case("pass-over-time-functions", ["node.rules.yml"], """
    input_series:
      - series: 'node_load1{instance="pi"}'
        values: '1 3 2 5 4 6'
    promql_expr_test:
      - expr: max_over_time(node_load1[3m])
        eval_time: 5m
        exp_samples:
          - labels: '{instance="pi"}'
            value: 6
      - expr: avg_over_time(node_load1[5m])
        eval_time: 5m
        exp_samples:
          - labels: '{instance="pi"}'
            value: 3.5
      - expr: changes(node_load1[5m])
        eval_time: 5m
        exp_samples:
          - labels: '{instance="pi"}'
            value: 5
      - expr: quantile_over_time(0.5, node_load1[5m])
        eval_time: 5m
        exp_samples:
          - labels: '{instance="pi"}'
            value: 3.5
""")
case("fail-over-time-keeps-name", ["node.rules.yml"], """
    input_series:
      - series: 'node_load1{instance="pi"}'
        values: '1 3 2 5 4 6'
    promql_expr_test:
      - expr: max_over_time(node_load1[3m])
        eval_time: 5m
        exp_samples:
          - labels: 'node_load1{instance="pi"}'
            value: 6
""")
case("pass-scalar-result", ["node.rules.yml"], """
    input_series:""" + UP + """
    promql_expr_test:
      - expr: scalar(sum(up)) * 2
        eval_time: 1m
        exp_samples:
          - labels: '{}'
            value: 2
      - expr: count(up) + 0.5
        eval_time: 1m
        exp_samples:
          - labels: '{}'
            value: 2.5
""")

# --- gpu.rules.yml ------------------------------------------------------------------------------
GPU = """
      - series: 'DCGM_FI_DEV_GPU_TEMP{gpu="0", UUID="GPU-1", modelName="NVIDIA A2", Hostname="edge"}'
        values: '70 80 86 88 90 91'
      - series: 'edgewatch_gpu_up{gpu="0"}'
        values: '1 1 1 0 0 0'
      - series: 'edgewatch_gpu_xid_errors_total{gpu="0", xid="79"}'
        values: '0 0 0 1 1 1'
"""
case("pass-gpu-alerts", ["gpu.rules.yml"], """
    input_series:""" + GPU + """
    alert_rule_test:
      - eval_time: 3m
        alertname: GPUHot
        exp_alerts:
          - exp_labels: {severity: warning, gpu: "0", UUID: GPU-1, modelName: NVIDIA A2, Hostname: edge}
            exp_annotations:
              summary: "GPU 0 (NVIDIA A2) at 88C"
      - eval_time: 4m
        alertname: GPULost
        exp_alerts:
          - exp_labels: {gpu: "0"}
            exp_annotations:
              summary: "GPU 0 lost"
      - eval_time: 4m
        alertname: GPUXidErrors
        exp_alerts:
          - exp_labels: {severity: critical, gpu: "0", xid: "79"}
            exp_annotations:
              summary: "XID 79 on GPU 0"
""")
case("fail-gpu-hot-before-for", ["gpu.rules.yml"], """
    input_series:""" + GPU + """
    alert_rule_test:
      - eval_time: 2m
        alertname: GPUHot
        exp_alerts:
          - exp_labels: {severity: warning, gpu: "0", UUID: GPU-1, modelName: NVIDIA A2, Hostname: edge}
            exp_annotations:
              summary: "GPU 0 (NVIDIA A2) at 86C"
""")
case("pass-evaluation-interval-30s", ["node.rules.yml"], """
    input_series:
      - series: 'up{job="node", instance="pi-1:9100"}'
        values: '0x20'
    alert_rule_test:
      - eval_time: 4m59s
        alertname: InstanceDown
      - eval_time: 5m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: "pi-1:9100", job: node}
            exp_annotations:
              summary: "Instance pi-1:9100 down"
              description: "pi-1:9100 of job node has been down for 5 minutes (value 0)."
""", interval="30s", extra="evaluation_interval: 30s\n")


def main():
    os.makedirs(ROOT, exist_ok=True)
    for name in os.listdir(ROOT):
        if name.endswith(".yml"):
            os.remove(os.path.join(ROOT, name))
    for name, text in RULES.items():
        with open(os.path.join(ROOT, name), "w") as f:
            f.write(text.lstrip())
    for name, rules, body, interval, extra in CASES:
        text = "rule_files:\n" + "".join(f"  - {r}\n" for r in rules) + extra
        text += f"tests:\n  - name: {name}\n    interval: {interval}\n" + textwrap.dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])
        with open(os.path.join(ROOT, name + ".test.yml"), "w") as f:
            f.write(text)
    print(f"{len(CASES)} test groups, {len(RULES)} rule files")


if __name__ == "__main__":
    main()
