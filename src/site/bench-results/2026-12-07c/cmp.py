import json,collections,sys,re
# usage: cmp.py events.json log steadyB steadyC
d=json.load(open(sys.argv[1])); log=open(sys.argv[2]).read()
js=json.load(open(sys.argv[3]))['runs'][0]
ends=re.findall(r'(\d\d:\d\d:\d\d\.\d\d\d) INFO .* (?:Bench window count|Optimizer) RUNNING -> PENDING_SHUTDOWN',log)
def sec(t): h,m,s=t.split(':'); return int(h)*3600+int(m)*60+float(s)
bend=sec(ends[0]); cend=sec(ends[1])
# (c) steady ends before the live phase: use the "(c) optimizer:" log second line
cl=re.search(r'\[(\d\d:\d\d:\d\d) \S+\] \(c\) optimizer',log).group(1)
cend=sec(cl)+0.999
win={'b':(bend-js['baseline']['steady']['seconds'],bend,js['baseline']['steady']['records']),
     'c':(cend-js['optimizer']['steady']['seconds'],cend,js['optimizer']['steady']['records'])}
def name(f): return f['method']['type']['name'].split('/')[-1]+'.'+f['method']['name']
inc={k:collections.Counter() for k in win}; self_={k:collections.Counter() for k in win}; tot=collections.Counter()
for e in d['recording']['events']:
    v=e['values']; tn=(v.get('sampledThread') or {}).get('javaName') or ''
    if 'StreamThread' not in tn or 'Global' in tn: continue
    t=sec(v['startTime'][11:].rstrip('Z'))
    st=v.get('stackTrace')
    if not st: continue
    fr=[name(f) for f in st['frames']]
    if fr and fr[0] in ('EPoll.wait','EPollSelectorImpl.doSelect'): continue
    for k,(lo,hi,n) in win.items():
        if lo<=t<=hi:
            p='P:' if 'producer' in tn else ''
            tot[k+(' producer' if p else ' stream')]+=1
            for f in set(fr): inc[k][p+f]+=1
            self_[k][p+fr[0]]+=1
print({k:(round(lo,1),round(hi,1),n) for k,(lo,hi,n) in win.items()}); print(tot)
nb=win['b'][2]/1e6; nc=win['c'][2]/1e6
keys=set(inc['b'])|set(inc['c'])
rows=sorted(keys,key=lambda f:-(inc['c'][f]/nc))
print('%-70s %8s %8s %8s'%('inclusive, samples per 1M readings','b','c','c-b'))
for f in rows[:int(sys.argv[4]) if len(sys.argv)>4 else 80]:
    print('%-70s %8.0f %8.0f %8.0f'%(f[:70],inc['b'][f]/nb,inc['c'][f]/nc,inc['c'][f]/nc-inc['b'][f]/nb))
print('--- self')
rows=sorted(set(self_['b'])|set(self_['c']),key=lambda f:-(self_['c'][f]/nc-self_['b'][f]/nb))
for f in rows[:40]:
    print('%-70s %8.0f %8.0f %8.0f'%(f[:70],self_['b'][f]/nb,self_['c'][f]/nc,self_['c'][f]/nc-self_['b'][f]/nb))
