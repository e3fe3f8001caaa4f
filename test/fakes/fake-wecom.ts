export * from '../../src/sandbox/fake-wecom.server';
