// Configuration from the environment: defaults, coercion, and a ConfigError naming each bad variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('fills in defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      PORT: 8787,
      HOST: '0.0.0.0',
      DATABASE_URL: undefined,
      DATA_DIR: './data',
      TRUST_PROXY: false,
      BACKGROUND_JOBS: true,
      RATE_LIMIT_RPS: 1000,
      RATE_LIMIT_BURST: 5000,
      DATABASE_POOL_SIZE: 10,
    });
    expect(loadConfig({ BACKGROUND_JOBS: 'false' }).BACKGROUND_JOBS).toBe(false);
    expect(loadConfig({ BACKGROUND_JOBS: '' }).BACKGROUND_JOBS).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
  });

  it('reads and coerces the variables it knows, ignoring the rest', () => {
    const config = loadConfig({
      PORT: '3000',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://app@db:5432/fideliza',
      DATA_DIR: '/var/lib/fideliza',
      TRUST_PROXY: 'true',
      RATE_LIMIT_RPS: '50',
      PATH: '/usr/bin',
    });
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://app@db:5432/fideliza',
      DATA_DIR: '/var/lib/fideliza',
      TRUST_PROXY: true,
      RATE_LIMIT_RPS: 50,
    });
    expect(config).not.toHaveProperty('PATH');
    expect(loadConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'yes' }).TRUST_PROXY).toBe(true);
    // An empty DATABASE_URL means "not set": PGlite.
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
    // PORT=0 lets the system pick one (tests use it).
    expect(loadConfig({ PORT: '0' }).PORT).toBe(0);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://db/fideliza'],
    ['TRUST_PROXY', 'maybe'],
    ['RATE_LIMIT_RPS', '0'],
  ])('refuses %s=%s with a ConfigError naming the variable and its value', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${name}=${JSON.stringify(value)}`);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', TRUST_PROXY: 'sometimes' })).toThrow(/PORT="x"[\s\S]*TRUST_PROXY="sometimes"/);
  });
});
