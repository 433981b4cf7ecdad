import json
# One description -> FRR oracle JSON and a Wirelab topology YAML.
areas = {"0.0.0.0": {"type": "normal"}, "0.0.0.1": {"type": "normal"}, "0.0.0.2": {"type": "stub"},
         "0.0.0.3": {"type": "stub", "no_summary": True}, "0.0.0.4": {"type": "nssa"},
         "0.0.0.5": {"type": "nssa", "no_summary": True}}
routers = {f"R{i}": f"{i}.{i}.{i}.{i}" for i in range(1, 10)}
loop_area = {"R1": 0, "R2": 0, "R3": 0, "R4": 0, "R5": 1, "R6": 2, "R7": 3, "R8": 4, "R9": 5}
# externals: router -> (prefix, metric type, metric)
externals = {"R4": ("172.16.4.0/24", 1, 30), "R5": ("172.16.5.0/24", 2, 20), "R8": ("172.16.8.0/24", 2, 20),
             "R9": ("172.16.9.0/24", 1, 20)}
# p2p: (a, b, subnet prefix x.y.z, area, cost)
p2p = [("R1", "R5", "10.1.15", 1, 64), ("R2", "R6", "10.2.26", 2, 64), ("R3", "R7", "10.3.37", 3, 64),
       ("R3", "R8", "10.4.38", 4, 64), ("R2", "R8", "10.4.28", 4, 64), ("R1", "R9", "10.5.19", 5, 64)]
# The NSSA ASBRs have no loopback in OSPF: their type-7 forwarding address is then an interface address
# both implementations choose alike (FRR: the first OSPF interface of the NSSA; Wirelab: the highest).
no_loopback = {"R8", "R9"}
lan = ["R1", "R2", "R3", "R4"]
topo = {"name": "ospf_study", "description": "every area type", "areas": areas, "routers": [], "segments": []}
for r, rid in routers.items():
    e = {"name": r, "router_id": rid, "loopbacks": [] if r in no_loopback else [{"address": rid + "/32", "area": f"0.0.0.{loop_area[r]}"}]}
    if r in externals:
        p, t, m = externals[r]
        e["externals"] = [{"prefix": p, "metric_type": t, "metric": m}]
    topo["routers"].append(e)
topo["segments"].append({"name": "LAN0", "type": "lan", "area": "0.0.0.0", "attachments": [
    {"router": r, "interface": "eth0", "address": f"10.0.0.{i+1}/24", "cost": 10} for i, r in enumerate(lan)]})
serial_index = {}
for a, b, net, area, cost in p2p:
    atts = []
    for r, host in ((a, 1), (b, 2)):
        n = serial_index.get(r, 0); serial_index[r] = n + 1
        atts.append({"router": r, "interface": f"eth{n+1}", "address": f"{net}.{host}/30", "cost": cost, "_serial": f"Serial0/{n}"})
    topo["segments"].append({"name": f"{a}-{b}", "type": "p2p", "area": f"0.0.0.{area}", "attachments": atts})
frr = json.loads(json.dumps(topo))
for s in frr["segments"]:
    for a in s["attachments"]: a.pop("_serial", None)
json.dump(frr, open("areas.json", "w"), indent=1)

# Wirelab YAML
def kind_cmd(area):
    t = areas[f"0.0.0.{area}"]
    if t["type"] == "stub": return f" area {area} stub" + (" no-summary" if t.get("no_summary") else "")
    if t["type"] == "nssa": return f" area {area} nssa" + (" no-summary" if t.get("no_summary") else "")
    return None
out = ["# The OSPF study lab: a backbone LAN of three ABRs and an ASBR, and one area of every other type.",
       "#", "#   area 1 normal        R5 --- R1          R9  area 5 totally NSSA (R9 redistributes, N1)",
       "#   (R5 redistributes)          \\        /",
       "#                          R1 R2 R3 R4 on LAN0 (area 0; R4 redistributes, E1)",
       "#   area 2 stub          R6 --- R2    R3 --- R7  area 3 totally stubby",
       "#   area 4 NSSA (R8 redistributes, N2; R2 and R3 its ABRs, R3 translates):  R2 --- R8 --- R3",
       "name: ospf-study", "nodes:"]
links = []
for r, rid in routers.items():
    lines = [f"hostname {r}"] + ([] if r in no_loopback else ["interface Loopback0", f" ip address {rid} 255.255.255.255"])
    myareas = {loop_area[r]}
    if r in lan:
        i = lan.index(r) + 1
        lines += ["interface GigabitEthernet0/0", f" ip address 10.0.0.{i} 255.255.255.0", " ip ospf cost 10", " no shutdown"]
        myareas.add(0)
    for s in topo["segments"][1:]:
        for at in s["attachments"]:
            if at["router"] == r:
                addr = at["address"].split("/")[0]
                lines += [f"interface {at['_serial']}", f" ip address {addr} 255.255.255.252", f" ip ospf cost {at['cost']}", " no shutdown"]
                myareas.add(int(s["area"].split(".")[-1]))
    if r in externals:
        p, t, m = externals[r]
        net = p.split("/")[0]
        lines += ["interface Loopback1", f" ip address {net[:-1]}1 255.255.255.0"]
    lines += ["router ospf 1", f" router-id {rid}"]
    for a in sorted(myareas):
        c = kind_cmd(a)
        if c: lines.append(c)
    if r in externals:
        p, t, m = externals[r]
        lines.append(f" redistribute connected subnets metric {m} metric-type {t}")
    if r not in no_loopback: lines.append(f" network {rid} 0.0.0.0 area {loop_area[r]}")
    if r in lan: lines.append(" network 10.0.0.0 0.0.0.255 area 0")
    for s in topo["segments"][1:]:
        for at in s["attachments"]:
            if at["router"] == r:
                lines.append(f" network {s['attachments'][0]['address'].rsplit('.',1)[0]}.0 0.0.0.3 area {int(s['area'].split('.')[-1])}")
    out += [f"  {r}:", "    kind: router", "    config: |"] + ["      " + l for l in lines]
out += ["  SW0:", "    kind: switch", "    config: |", "      hostname SW0"]
for i, r in enumerate(lan):
    links.append(f"  - {{endpoints: [{r}:Gi0/0, SW0:Gi0/{i+1}], bandwidth: 1G}}")
for s in topo["segments"][1:]:
    a, b = s["attachments"]
    links.append(f"  - {{endpoints: [{a['router']}:{a['_serial']}, {b['router']}:{b['_serial']}], bandwidth: 1544kbps}}")
out += ["links:"] + links
open("ospf-study.yaml", "w").write("\n".join(out) + "\n")
