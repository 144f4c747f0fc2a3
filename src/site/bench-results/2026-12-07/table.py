import json,sys
# rows: name, file; prints markdown rows per guarantee
for name in sys.argv[1:]:
    label,f=name.split('=')
    d=json.load(open(f))
    for r in d['runs']:
        b,c,l=r['baseline'],r['optimizer'],r['setpointLatencyMs']
        g='EOS' if r['guarantee']=='exactly_once_v2' else 'ALO'
        print(f"| {label} | {g} | {b['seconds']:.1f} / {b['startupSeconds']:.1f} / {b['cpuSeconds']:.1f} | {c['seconds']:.1f} / **{c['startupSeconds']:.1f}** / {c['cpuSeconds']:.1f} | {c['brokerCpuSeconds']:.1f} | {r['ratioOptimizerOverBaseline']:.2f} | {l['p99Ms']:,.0f} | {l['streamThreadCpuMs']:,.0f} |")
