/** Small HTTP helpers for the API tests: JSON in, status + headers + parsed body out. */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: T;
}

/** One request; a JSON body is serialised unless it is already a string. */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}

/** A client node as the client agent registers it (raw_exec, 4000 MHz, 4 GiB). */
export function testNode(id: string, name = id.slice(0, 8)): Record<string, unknown> {
  return {
    ID: id,
    SecretID: `secret-${id}`,
    Name: name,
    Datacenter: 'dc1',
    Status: 'ready',
    SchedulingEligibility: 'eligible',
    NodePool: 'default',
    Attributes: {
      'kernel.name': 'linux',
      'os.name': 'debian',
      'cpu.arch': 'amd64',
      'driver.raw_exec': '1',
      'nomad.version': '1.10.0',
      'unique.network.ip-address': '127.0.0.1',
    },
    Drivers: { raw_exec: { Detected: true, Healthy: true } },
    NodeResources: { Cpu: { CpuShares: 4000 }, Memory: { MemoryMB: 4096 }, Disk: { DiskMB: 10000 } },
  };
}

/** The HCL job the end-to-end tests run. */
export const EXAMPLE_HCL = `job "example" {
  datacenters = ["dc1"]

  group "web" {
    count = 2

    task "server" {
      driver = "raw_exec"

      config {
        command = "/bin/sleep"
        args    = ["1000"]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
`;
