{{/* Chart name, truncated for label values. */}}
{{- define "annexgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's resources. Short enough for the "-headless" and "-metrics" suffixes. */}}
{{- define "annexgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "annexgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "annexgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "annexgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "annexgate.labels" -}}
helm.sh/chart: {{ include "annexgate.chart" . }}
{{ include "annexgate.podLabels" . }}
{{- end }}

{{/* Labels of the pod template: no chart version, so a chart bump alone does not restart the pod. */}}
{{- define "annexgate.podLabels" -}}
{{ include "annexgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: annexgate
{{- end }}

{{- define "annexgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "annexgate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "annexgate.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Secret holding the users' passwords. */}}
{{- define "annexgate.usersSecretName" -}}
{{- default (printf "%s-users" (include "annexgate.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/* Whether the chart makes the users Secret. */}}
{{- define "annexgate.createUsersSecret" -}}
{{- if and .Values.auth.users (not .Values.auth.existingSecret) }}true{{ end }}
{{- end }}

{{- define "annexgate.scheme" -}}
{{- if .Values.tls.enabled }}https{{ else }}http{{ end }}
{{- end }}

{{/* Label matchers for this release's series in the alert rules. */}}
{{- define "annexgate.metricSelector" -}}
{{- default (printf "namespace=%q, service=%q" .Release.Namespace (printf "%s-metrics" (include "annexgate.fullname" .))) .Values.metrics.prometheusRule.selector }}
{{- end }}

{{/*
Stopping. The pod is given shutdown.gracePeriodSeconds (or the deprecated
terminationGracePeriodSeconds when set): shutdown.preStopSeconds of serving while the
Service stops routing to it, then SIGTERM and the server's own grace for transfers in
progress, then a margin for committing journals and exiting.
*/}}
{{- define "annexgate.gracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- .Values.shutdown.gracePeriodSeconds | int }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds | int }}
{{- end }}
{{- end }}

{{/*
A server value renamed to camelCase: (list $ "newName" "oldname"). The old name, when
set, is used in its place (NOTES.txt says it is deprecated).
*/}}
{{- define "annexgate.serverValue" -}}
{{- $server := (index . 0).Values.server }}
{{- $old := get $server (index . 2) }}
{{- if kindIs "invalid" $old }}
{{- get $server (index . 1) }}
{{- else }}
{{- $old }}
{{- end }}
{{- end }}

{{/* The server values renamed to camelCase, old name → new name. */}}
{{- define "annexgate.renamedServerValues" -}}
lockedfiles: lockedFiles
proxyconnections: proxyConnections
clusterjobs: clusterJobs
{{- end }}

{{/*
The JVM's options (JDK_JAVA_OPTIONS). jvm.extraOptions come last, so that a flag repeated there
wins; a collector chosen there replaces jvm.gc (two would stop the JVM).
*/}}
{{- define "annexgate.jvmOptions" -}}
{{- $j := .Values.jvm }}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%v" $j.maxRAMPercentage) "-XX:+ExitOnOutOfMemoryError" }}
{{- if not (regexMatch "-XX:\\+Use[A-Za-z0-9]+GC\\b" (default "" $j.extraOptions)) }}
{{- $opts = append $opts (printf "-XX:+Use%s" $j.gc) }}
{{- end }}
{{- with (include "annexgate.activeProcessorCount" .) }}
{{- $opts = append $opts (printf "-XX:ActiveProcessorCount=%s" .) }}
{{- end }}
{{- $opts = append $opts (printf "-XX:MaxDirectMemorySize=%s" $j.maxDirectMemorySize) }}
{{- $opts = concat $opts (list "-XX:ErrorFile=/tmp/hs_err_pid%p.log" "-XX:+HeapDumpOnOutOfMemoryError" "-XX:HeapDumpPath=/tmp/annexgate-heap.hprof") }}
{{- with $j.extraOptions }}
{{- $opts = append $opts (trim .) }}
{{- end }}
{{- join " " $opts }}
{{- end }}

{{/* The CPU limit rounded up to whole processors, at least 1; empty without a CPU limit. */}}
{{- define "annexgate.activeProcessorCount" -}}
{{- $cpu := toString (dig "limits" "cpu" "" (default dict .Values.resources)) }}
{{- if $cpu }}
{{- $cores := 0.0 }}
{{- if hasSuffix "m" $cpu }}
{{- $cores = divf (float64 (trimSuffix "m" $cpu)) 1000 }}
{{- else }}
{{- $cores = float64 $cpu }}
{{- end }}
{{- max 1 (int (ceil $cores)) }}
{{- end }}
{{- end }}

{{- define "annexgate.shutdownMarginSeconds" -}}
10
{{- end }}

{{/* Seconds the server gives transfers in progress after SIGTERM (ANNEXGATE_SHUTDOWNGRACE). */}}
{{- define "annexgate.serverGraceSeconds" -}}
{{- sub (sub (include "annexgate.gracePeriodSeconds" . | int) (.Values.shutdown.preStopSeconds | int)) (include "annexgate.shutdownMarginSeconds" . | int) }}
{{- end }}

{{/* Checks that fail the render with a message instead of producing a pod that cannot work. */}}
{{- define "annexgate.validate" -}}
{{- if and .Values.auth.users (not .Values.tls.enabled) (not .Values.auth.allowHttp) }}
{{- fail "auth.users: git-annex only accepts passwords over HTTPS. Enable tls (HTTPS in the pod) or set auth.allowHttp=true (e.g. when TLS ends at the Ingress)." }}
{{- end }}
{{- if and .Values.tls.enabled (not .Values.tls.secretName) }}
{{- fail "tls.enabled needs tls.secretName: a Secret with the certificate and private key." }}
{{- end }}
{{- if and .Values.auth.unauthReadonly .Values.auth.unauthAppendonly }}
{{- fail "auth.unauthReadonly and auth.unauthAppendonly exclude each other." }}
{{- end }}
{{- if and .Values.persistence.existingClaim (not .Values.persistence.enabled) }}
{{- fail "persistence.existingClaim needs persistence.enabled=true." }}
{{- end }}
{{- if lt (include "annexgate.serverGraceSeconds" . | int) 1 }}
{{- fail (printf "shutdown.gracePeriodSeconds (%s) leaves the server no time for transfers: it must be at least shutdown.preStopSeconds (%d) + the %s s margin + 1." (include "annexgate.gracePeriodSeconds" .) (.Values.shutdown.preStopSeconds | int) (include "annexgate.shutdownMarginSeconds" .)) }}
{{- end }}
{{- $names := list }}
{{- range .Values.auth.users }}
{{- if has .name $names }}
{{- fail (printf "auth.users: user %s is listed twice." .name) }}
{{- end }}
{{- $names = append $names .name }}
{{- end }}
{{- end }}
