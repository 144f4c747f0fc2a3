import json,sys,collections,re
d=json.load(open(sys.argv[1])); lo,hi=sys.argv[2],sys.argv[3]; thr=re.compile(sys.argv[4]); N=int(sys.argv[5]) if len(sys.argv)>5 else 25
focus=sys.argv[6] if len(sys.argv)>6 else None
selfc=collections.Counter(); inc=collections.Counter(); threads=collections.Counter(); waits=collections.Counter(); n=0
def name(f): return f['method']['type']['name'].split('/')[-1]+'.'+f['method']['name']
for e in d['recording']['events']:
    v=e['values']; t=v['startTime'][11:23]
    if not (lo<=t<=hi): continue
    tn=((v.get('sampledThread') or v.get('eventThread')) or {}).get('javaName') or ''
    if not thr.search(tn): continue
    st=v.get('stackTrace')
    if not st: continue
    fr=[name(f) for f in st['frames']]
    if e['type'] in ('jdk.ExecutionSample','jdk.NativeMethodSample'):
        if fr and fr[0] in ('EPoll.wait','EPollSelectorImpl.doSelect'): continue
        if focus and not any(focus in f for f in fr): continue
        n+=1; threads[tn[-40:]]+=1; selfc[fr[0]]+=1
        for f in set(fr): inc[f]+=1
    else:
        dur=v.get('duration') or 'PT0S'
        m=re.match(r'PT(?:(\d+)M)?([\d.]+)S',dur); s=(int(m.group(1) or 0)*60+float(m.group(2))) if m else 0
        key=e['type'].split('.')[-1]+' @ '+' < '.join(fr[:6])
        waits[key]+=s
print('samples',n); print('threads', threads.most_common(5))
print('--- self'); [print(' %5d %5.1f%% %s'%(c,100*c/n,k)) for k,c in selfc.most_common(N)]
print('--- inclusive'); [print(' %5d %5.1f%% %s'%(c,100*c/n,k)) for k,c in inc.most_common(N*2)]
print('--- waits (s)'); [print(' %7.2f %s'%(s,k[:250])) for k,s in waits.most_common(8)]
