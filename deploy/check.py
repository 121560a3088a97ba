#!/usr/bin/env python3
"""Checks the deployment files without a Docker engine, then runs the release binary behind nginx.

1. Static: docker-compose.ionos.yml (services, memory limits, healthchecks, published ports, start order, every file
   it mounts or builds from exists, every variable documented in deploy/.env.example), deploy/Dockerfile (stages,
   non-root user, healthcheck, sources exist), every setting of agent/src/config.rs documented in
   deploy/.env.example, the systemd unit's paths.
2. Scripts: `bash -n` and shellcheck on every shell script.
3. nginx: `nginx -t` on deploy/nginx.conf with the upstream pointed at this machine (as docs/operations.md says
   for a native install).
4. End to end: `pstral serve` (the release binary the image runs; PSTRAL_BIN to choose another) in production mode
   with settings from deploy/.env.example, a fake Ollama at its HTTP boundary (scripts/fake_ollama.py) streaming a
   canned answer slowly,
   nginx in front: the console and the API through the proxy, security headers, /metrics hidden, and an answer's
   events arriving as they happen (not buffered). Prints the agent's resident memory at the end.
Usage: python3 deploy/check.py [--static-only]
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print(f"  FAIL {message}")
    return condition


def env_example():
    """Names documented in deploy/.env.example (set or commented)."""
    text = (ROOT / "deploy/.env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.M)), text


def check_compose():
    print("compose: docker-compose.ionos.yml")
    compose = yaml.safe_load((ROOT / "docker-compose.ionos.yml").read_text())
    services = compose.get("services", {})
    check(set(services) == {"ollama", "agent", "nginx"}, f"services are ollama, agent, nginx: {sorted(services)}")
    limits = {"ollama": "5G", "agent": "1G", "nginx": "256M"}
    for name, limit in limits.items():
        service = services.get(name, {})
        memory = service.get("deploy", {}).get("resources", {}).get("limits", {}).get("memory")
        check(memory == limit, f"{name} memory limit {limit}: {memory}")
        check("test" in service.get("healthcheck", {}), f"{name} has a healthcheck")
        check(service.get("restart") == "unless-stopped", f"{name} restarts unless stopped")
    published = {name: service.get("ports", []) for name, service in services.items() if service.get("ports")}
    check(published == {"nginx": ["80:80"]}, f"only nginx publishes a port (80): {published}")
    agent = services.get("agent", {})
    check(agent.get("depends_on", {}).get("ollama", {}).get("condition") == "service_healthy",
          "agent waits for a healthy ollama")
    check(services.get("nginx", {}).get("depends_on", {}).get("agent", {}).get("condition") == "service_healthy",
          "nginx waits for a healthy agent")
    check(agent.get("environment", {}).get("PSTRAL_ENV") == "production", "agent runs in production mode")
    check(agent.get("env_file") == ".env", "agent reads its secrets from .env")
    subnet = compose.get("networks", {}).get("pstral", {}).get("ipam", {}).get("config", [{}])[0].get("subnet")
    check(agent.get("environment", {}).get("PSTRAL_TRUSTED_PROXIES") == subnet,
          f"the agent believes X-Real-IP from the compose network {subnet} only")
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                check((ROOT / source).exists(), f"{name} mounts {source}, which exists")
            else:
                check(source in compose.get("volumes", {}), f"{name} uses the declared volume {source}")
        build = service.get("build")
        if build:
            check((ROOT / build["context"] / build["dockerfile"]).is_file(), f"{name} builds from an existing file")
            dockerfile = (ROOT / build["context"] / build["dockerfile"]).read_text()
            check(re.search(rf"^FROM .* AS {build['target']}$", dockerfile, re.M) is not None,
                  f"{name}'s target {build['target']} is a stage of the Dockerfile")
    documented, _ = env_example()
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "docker-compose.ionos.yml").read_text()))
    for variable in sorted(used - documented):
        check(False, f"compose uses ${{{variable}}}, which deploy/.env.example does not document")
    entrypoint = services.get("ollama", {}).get("entrypoint", [])
    check(entrypoint[-1:] == ["/etc/pstral/entrypoint.sh"], "ollama starts through ollama/entrypoint.sh")


def check_dockerfile():
    print("dockerfile: deploy/Dockerfile")
    text = (ROOT / "deploy/Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)$", text, re.M)
    check(stages == ["build", "agent", "web"], f"stages build, agent, web: {stages}")
    agent = text.split(" AS agent")[1].split(" AS web")[0]
    check(re.search(r"^USER pstral$", agent, re.M) is not None, "the agent runs as the non-root user pstral")
    check("HEALTHCHECK" in agent and "/api/v1/health" in agent, "the agent image has a healthcheck")
    check("EXPOSE 8080" in agent, "the agent image exposes 8080")
    check("/opt/pstral/assets/onnxruntime" in agent and "/opt/pstral/assets/minilm" in agent,
          "ONNX Runtime and the embedding model are baked in")
    for source in re.findall(r"^COPY (?!--from)(\S+) ", text, re.M):
        if source != ".":
            check((ROOT / source).exists(), f"Dockerfile copies {source}, which exists")


def check_settings_documented():
    print("settings: every variable of agent/src/config.rs in deploy/.env.example")
    config = (ROOT / "agent/src/config.rs").read_text()
    variables = set(re.findall(r'env = "([A-Z0-9_]+)"', config))
    documented, _ = env_example()
    check(len(variables) > 20, f"config.rs declares its variables ({len(variables)} found)")
    for variable in sorted(variables - documented):
        check(False, f"{variable} (agent/src/config.rs) is not documented in deploy/.env.example")
    unit = (ROOT / "deploy/pstral.service").read_text()
    for variable in re.findall(r"^Environment=([A-Z0-9_]+)=", unit, re.M):
        check(variable in variables, f"the systemd unit sets {variable}, a real setting")


def check_scripts():
    print("scripts: bash -n and shellcheck")
    scripts = [ROOT / "ollama/entrypoint.sh", ROOT / ".ci/run", *sorted((ROOT / "scripts").glob("*.sh"))]
    for script in scripts:
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        check(result.returncode == 0, f"bash -n {script.relative_to(ROOT)}: {result.stderr.strip()}")
        result = subprocess.run(["shellcheck", "-S", "warning", str(script)], capture_output=True, text=True)
        check(result.returncode == 0, f"shellcheck {script.relative_to(ROOT)}:\n{result.stdout}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(workdir, agent_port, nginx_port, console_dir):
    text = (ROOT / "deploy/nginx.conf").read_text()
    text = text.replace("server agent:8080;", f"server 127.0.0.1:{agent_port};")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{nginx_port};")
    text = text.replace("root /usr/share/nginx/html;", f"root {console_dir};")
    text = text.replace("pid /tmp/nginx.pid;", f"pid {workdir}/nginx.pid;")
    text = text.replace("/tmp/nginx-", f"{workdir}/nginx-")
    path = Path(workdir) / "nginx.conf"
    path.write_text(text)
    return path


def check_nginx(workdir):
    print("nginx: nginx -t")
    conf = nginx_config(workdir, 8080, 8081, ROOT / "console/dist")
    result = subprocess.run(["nginx", "-t", "-c", str(conf), "-e", "stderr"], capture_output=True, text=True)
    check(result.returncode == 0, f"nginx -t: {result.stderr.strip()}")


def request(port, method, path, body=None, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    return connection.getresponse()


def release_binary():
    if os.environ.get("PSTRAL_BIN"):
        return Path(os.environ["PSTRAL_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release/pstral"


def end_to_end(workdir):
    print("end to end: pstral serve (release) behind nginx, fake Ollama")
    binary = release_binary()
    if not check(binary.is_file(), f"{binary} exists (cargo build --release --bin pstral)"):
        return
    console_dir = ROOT / "console/dist"
    check((console_dir / "index.html").is_file(), "the console is built (scripts/console.sh)")
    # The shared fake Ollama (scripts/fake_ollama.py), slow enough that buffering by the proxy would show.
    ollama = subprocess.Popen([sys.executable, "-u", str(ROOT / "scripts/fake_ollama.py")], stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "FAKE_OLLAMA_DELAY": "0.15"})
    ollama_port = int(ollama.stdout.readline())
    agent_port, nginx_port = free_port(), free_port()
    _, example = env_example()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PSTRAL_", "OLLAMA_"))}
    for line in example.splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            env[match.group(1)] = match.group(2)
    admin_password = "un mot de passe d'admin pour le test"
    env.update({
        "PSTRAL_SECRET_KEY": os.urandom(32).hex(),
        "PSTRAL_ADMIN_PASSWORD": admin_password,
        "PSTRAL_BIND": f"127.0.0.1:{agent_port}",
        "PSTRAL_DATA_DIR": f"{workdir}/data",
        "PSTRAL_CONSOLE_DIR": str(console_dir),
        "OLLAMA_URL": f"http://127.0.0.1:{ollama_port}",
        "OLLAMA_MODEL": "ministral-3:3b",
    })
    log = open(Path(workdir) / "pstral.log", "w")
    agent = subprocess.Popen([str(binary), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    conf = nginx_config(workdir, agent_port, nginx_port, console_dir)
    nginx_log = open(Path(workdir) / "nginx.log", "w")
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-e", "stderr", "-g", "daemon off;"],
                             stdout=nginx_log, stderr=subprocess.STDOUT)
    try:
        index_ok = False
        for _ in range(600):
            try:
                health = json.loads(request(nginx_port, "GET", "/api/v1/health").read())
                index = next(dep for dep in health["dependencies"] if dep["name"] == "index")
                if index["state"] == "ok":
                    index_ok = True
                    break
            except (OSError, ValueError, StopIteration, KeyError):
                pass
            time.sleep(0.2)
        if not check(index_ok, f"the agent answers through nginx with its index built (log: {workdir}/pstral.log)"):
            return
        page = request(nginx_port, "GET", "/")
        html = page.read().decode()
        check(page.status == 200 and "<html" in html.lower(), "nginx serves the console")
        check(page.getheader("content-security-policy", "").startswith("default-src 'self'"), "console has a CSP")
        check(page.getheader("x-frame-options") == "DENY", "console refuses framing")
        check(request(nginx_port, "GET", "/metrics").status == 404, "nginx hides /metrics")
        docs = request(nginx_port, "GET", "/api-docs/").read().decode()
        bundle = request(nginx_port, "GET", "/api-docs/swagger-ui-bundle.js")
        check("swagger-ui-bundle.js" in docs and bundle.status == 200 and len(bundle.read()) > 100_000,
              "Swagger UI is served at /api-docs/")
        document = json.loads(request(nginx_port, "GET", "/api/v1/openapi.json").read())
        check("/api/v1/sql/export" in document.get("paths", {}), "the OpenAPI document lists every route")
        login = request(nginx_port, "POST", "/api/v1/auth/login", {"username": "admin", "password": admin_password})
        check(login.status == 200, f"admin signs in through nginx ({login.status})")
        token = json.loads(login.read())["access_token"]
        api = request(nginx_port, "GET", "/api/v1/auth/me", token=token)
        api.read()
        check(api.getheader("x-content-type-options") == "nosniff", "API answers carry the security headers")
        check(len(api.headers.get_all("x-frame-options") or []) == 1, "headers are not doubled by the proxy")
        started = time.monotonic()
        stream = request(nginx_port, "POST", "/api/v1/chat", {"question": "Combien de clients habitent à Paris ?"},
                         token)
        check(stream.getheader("content-type") == "text/event-stream", "the answer is an event stream")
        arrivals = []
        buffer = b""
        last_event = None
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(1)
            if not chunk:
                break
            buffer += chunk
            while b"\n\n" in buffer:
                frame, buffer = buffer.split(b"\n\n", 1)
                for line in frame.decode().splitlines():
                    if line.startswith("data:"):
                        event = json.loads(line[5:])
                        arrivals.append((event["type"], time.monotonic() - started))
                        last_event = event
        kinds = [kind for kind, _ in arrivals]
        check("token" in kinds and "rows" in kinds and kinds[-1] == "done", f"tokens, rows, done: {kinds} (last: {last_event})")
        first_token = next((at for kind, at in arrivals if kind == "token"), None)
        done = arrivals[-1][1] if arrivals else 0
        check(first_token is not None and done - first_token > 0.8,
              f"events arrive as they happen through nginx (first token at {first_token}, done at {done:.2f} s)")
        audit = json.loads(request(nginx_port, "GET", "/api/v1/audit?action=chat.question", token=token).read())
        check(audit["entries"] and audit["entries"][0]["ip_address"] == "127.0.0.1",
              "the audit row has the client's address as nginx passed it")
        status = Path(f"/proc/{agent.pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024
        print(f"  agent resident memory after the answer: {rss} MB (peak {hwm} MB; limit 1024 MB)")
        check(hwm < 512, f"the agent's peak memory is well under its 1 GB limit: {hwm} MB")
    finally:
        nginx.terminate()
        agent.terminate()
        agent.wait(timeout=30)
        nginx.wait(timeout=30)
        ollama.terminate()
        ollama.wait(timeout=30)
        check(agent.returncode == 0, f"the agent stops cleanly on SIGTERM ({agent.returncode})")


def main():
    with tempfile.TemporaryDirectory(prefix="pstral-deploy-") as workdir:
        check_compose()
        check_dockerfile()
        check_settings_documented()
        check_scripts()
        check_nginx(workdir)
        if "--static-only" not in sys.argv:
            end_to_end(workdir)
    if FAILURES:
        print(f"deploy check: {len(FAILURES)} failure(s)")
        sys.exit(1)
    print("deploy check: passed")


if __name__ == "__main__":
    main()
