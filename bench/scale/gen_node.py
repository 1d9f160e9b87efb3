#!/usr/bin/env python3
"""Write a libvirt test-driver node file with N running Nova-like domains: 2 disks (a local qcow2 file and an rbd
volume) and 2 NICs per domain, each NIC's Nova port with an IPv4 and an IPv6 fixed IP. Open it through the real
libvirt.so.0 as test:///ABS/PATH/node.xml (no daemon).

Instance i (0-based): NIC n (0, 1) has fixed IPs 10.n.(i // 250).(5 + i % 250) and fd0n::(i + 5 in hex); the same
scheme gen_flows.py uses. usage: gen_node.py N > node.xml   (adapted from the shared infra's gen_node.py)"""
import sys
import uuid

PROJECTS = ["6f70656e-7374-6163-6b20-70726f6a6563", "0a1b2c3d-0000-4000-8000-000000000002"]
USER = "75736572-0000-4000-8000-000000000001"
NICS = 2


def fixed_ips(i, nic):
    return f"10.{nic}.{(i // 250) % 256}.{5 + i % 250}", f"fd0{nic}::{i + 5:x}"


def uid(prefix, i):
    return str(uuid.UUID(int=(prefix << 96) + (0x0000_4000_8000 << 48) + i))


def domain(i):
    u = uid(0x11111111, i)
    vol = uid(0x33333333, i)
    ports, interfaces = [], []
    for nic in range(NICS):
        port = uid(0x22222222 + nic, i)
        v4, v6 = fixed_ips(i, nic)
        ports.append(f"""          <nova:port uuid="{port}">
            <nova:ip type="fixed" address="{v4}" ipVersion="4"/>
            <nova:ip type="fixed" address="{v6}" ipVersion="6"/>
          </nova:port>""")
        mac = "fa:16:3e:%02x:%02x:%02x" % (nic, (i >> 8) & 255, i & 255)
        interfaces.append(f"""      <interface type='ethernet'>
        <mac address='{mac}'/>
        <target dev='tap{port[:11]}'/>
        <model type='virtio'/>
      </interface>""")
    ports, interfaces = "\n".join(ports), "\n".join(interfaces)
    return f"""  <domain type='test'>
    <name>instance-{i + 1:08x}</name>
    <uuid>{u}</uuid>
    <metadata>
      <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
        <nova:package version="27.1.0"/>
        <nova:name>vm-{i}</nova:name>
        <nova:creationTime>2025-01-01 00:00:00</nova:creationTime>
        <nova:flavor name="m1.small">
          <nova:memory>2048</nova:memory>
          <nova:disk>20</nova:disk>
          <nova:swap>0</nova:swap>
          <nova:ephemeral>0</nova:ephemeral>
          <nova:vcpus>2</nova:vcpus>
        </nova:flavor>
        <nova:owner>
          <nova:user uuid="{USER}">alice</nova:user>
          <nova:project uuid="{PROJECTS[i % 2]}">project-{i % 2}</nova:project>
        </nova:owner>
        <nova:root type="image" uuid="44444444-0000-4000-8000-000000000001"/>
        <nova:ports>
{ports}
        </nova:ports>
      </nova:instance>
    </metadata>
    <memory unit='KiB'>2097152</memory>
    <currentMemory unit='KiB'>2097152</currentMemory>
    <vcpu placement='static'>2</vcpu>
    <os><type arch='i686'>hvm</type><boot dev='hd'/></os>
    <devices>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='/var/lib/nova/instances/{u}/disk'/>
        <target dev='vda' bus='virtio'/>
      </disk>
      <disk type='network' device='disk'>
        <driver name='qemu' type='raw'/>
        <source protocol='rbd' name='volumes/volume-{vol}'>
          <host name='192.0.2.10' port='6789'/>
        </source>
        <target dev='vdb' bus='virtio'/>
        <serial>{vol}</serial>
      </disk>
{interfaces}
    </devices>
  </domain>"""


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print("<node>")
    print("  <cpu><mhz>2400</mhz><model>i686</model><active>16</active><nodes>1</nodes>"
          "<sockets>1</sockets><cores>8</cores><threads>2</threads></cpu>")
    print("  <memory>67108864</memory>")
    for i in range(n):
        print(domain(i))
    print("</node>")


if __name__ == "__main__":
    main()
