import json,sys,collections
d=json.load(open(sys.argv[1])); lo,hi=sys.argv[2],sys.argv[3]
def name(f): return f['method']['type']['name'].split('/')[-1]+'.'+f['method']['name']
cats=collections.Counter(); n=0
for e in d['recording']['events']:
    v=e['values']; t=v['startTime'][11:23]
    if not (lo<=t<=hi): continue
    tn=((v.get('sampledThread') or v.get('eventThread')) or {}).get('javaName') or ''
    if 'StreamThread' not in tn: continue
    st=v.get('stackTrace')
    if not st: continue
    fr=[name(f) for f in st['frames']]
    if fr and fr[0] in ('EPoll.wait','EPollSelectorImpl.doSelect'): continue
    n+=1
    s=' '.join(fr)
    if 'producer' in tn: c='changelog/output producer thread'
    elif 'GlobalStreamThread' in tn: c='global thread'
    elif 'BuildingWindowSerde' in s or ('AvroSerde' in s and ('MeteredWindowStore' in s)): c='window serde'
    elif 'SetpointOptimizer' in s: c='decisions (SetpointOptimizer)'
    elif 'AvroSerde.deserialize' in s: c='reading deserialization'
    elif 'ReadingValidator.process' in s and 'KStreamWindowAggregate' not in s: c='validator'
    elif 'WindowAggregator.apply' in s: c='aggregator'
    else: c='Kafka Streams, shared with (b)'
    cats[c]+=1
print('samples',n)
for k,c in cats.most_common(): print(' %5d %5.1f%% %s'%(c,100*c/n,k))
